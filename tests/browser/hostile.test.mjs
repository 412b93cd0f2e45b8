// Hostile text in data (scripts in titles and names, event handlers, javascript: links, bidi overrides,
// control characters) is shown as text and never runs. The records come from tests/browser/hostile.jsonl,
// ingested into the live server by scripts/test-browser.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, launch } from "./chromium.mjs";

let browser;
let page;
const fired = [];

before(async () => {
  browser = await launch();
  page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(15000);
  page.on("dialog", async (d) => { fired.push(d.message()); await d.dismiss(); });
  page.on("pageerror", (e) => fired.push(`pageerror: ${e.message}`));
});

after(async () => { await browser?.close(); });

test("hostile records render as text and run nothing", async () => {
  // The server picks the records up after the other process commits; wait for them.
  for (let i = 0; i < 50; i++) {
    const r = await page.goto(`${BASE}/api/v1/works/hostile:1`);
    if (r.status() === 200) break;
    await page.waitForTimeout(200);
  }
  await page.goto(`${BASE}/works/hostile:1`);
  const h1 = await page.getByRole("heading", { level: 1 }).innerText();
  assert.match(h1, /<script>alert\(1\)<\/script> Hostile Title/);
  assert.equal(await page.locator('a[href^="javascript:"]').count(), 0, "no javascript: link");
  assert.ok(await page.getByText("<img src=x onerror=alert(2)>").first().isVisible());
  assert.equal(await page.locator("img[src=x], svg[onload]").count(), 0);
  await page.goto(`${BASE}/search?q=hostile`);
  await page.getByText("Hostile Title").first().waitFor();
  await page.goto(`${BASE}/names/${encodeURIComponent("<img src=x onerror=alert(2)>")}`);
  await page.getByText("1 paper", { exact: true }).waitFor();
  await page.waitForTimeout(300);
  // A 200 KB abstract is kept whole and the page still renders.
  const res = await page.goto(`${BASE}/works/hostile:2`);
  assert.equal(res.status(), 200);
  assert.ok((await page.locator(".abstract").first().innerText()).length > 190000);
  assert.deepEqual(fired, [], "no dialog opened and no script error");
});
