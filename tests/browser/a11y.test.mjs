// An automated accessibility check (axe-core, WCAG 2 A and AA rules) of every kind of page on the demo.
// axe is injected into the page, so this context bypasses the pages' Content-Security-Policy; the CSP
// itself is checked by session.test.mjs.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { BASE, launch } from "./chromium.mjs";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
let browser;
let page;

before(async () => {
  browser = await launch();
  page = await (await browser.newContext({ bypassCSP: true })).newPage();
  page.setDefaultTimeout(15000);
});

after(async () => { await browser?.close(); });

async function violations(path) {
  await page.goto(`${BASE}${path}`);
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa"] }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.length} node(s), e.g. ${v.nodes[0]?.target}`);
}

test("every kind of page passes axe's WCAG 2 A/AA rules", async () => {
  const person = await (await fetch(`${BASE}/api/v1/names/${encodeURIComponent("Mayee Chen")}`)).json();
  const pages = [
    "/",
    "/search?q=hyena",
    "/search?q=%22hyena%20zebra%22",
    "/help",
    "/works/seed:icml-2014-an-asynchronous-parallel-stochastic-coordinate-descent-algorithm",
    `/names/${encodeURIComponent("Christopher Ré")}`,
  ];
  const people = await (await fetch(`${BASE}/names/${encodeURIComponent("Mayee Chen")}`)).text();
  const m = people.match(/href="(\/people\/[^"]+)"/);
  if (m) pages.push(m[1]);
  assert.ok(person && m, "the person page is checked too");
  const why = m && (await (await fetch(`${BASE}${m[1]}`)).text()).match(/class="why" href="([^"]+)"/);
  if (why) pages.push(why[1].replaceAll("&amp;", "&"));
  assert.ok(why, "the explanation page a person's why? link leads to is checked too");
  const found = {};
  for (const p of pages) {
    const v = await violations(p);
    if (v.length) found[p] = v;
  }
  assert.deepEqual(found, {});
});
