// A curator in Debian's chromium against `arrow demo` started with an admin token (scripts/test-browser sets
// ARROW_ADMIN_TOKEN): visitors see no form; the curator signs in once, claims an ORCID from the person page,
// sees it and the change listed, and undoes it; splits a ticked paper off and undoes that, leaving the demo data
// as it was for the other tests.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { BASE, launch } from "./chromium.mjs";

const ARTIFACTS = new URL("./artifacts/", import.meta.url).pathname;
const TOKEN = process.env.ARROW_ADMIN_TOKEN;

let browser;
let page;
const problems = [];

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launch();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.setDefaultTimeout(15000);
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
});

after(async () => {
  await browser?.close();
});

/// The person page of the first person named Michael Poli, reached as a reader would: from the name cluster.
async function openPerson() {
  await page.goto(`${BASE}/names/Michael%20Poli`);
  await page.locator("section.people a").first().click();
  await page.getByRole("heading", { level: 1, name: "Michael Poli" }).waitFor();
}

test("a curator's session", { skip: !TOKEN && "ARROW_ADMIN_TOKEN is not set (scripts/test-browser sets it)" }, async (t) => {
  await t.test("visitors see no curation form", async () => {
    await openPerson();
    assert.equal(await page.locator("section.curate").count(), 0);
  });

  await t.test("a wrong token is refused", async () => {
    await page.goto(`${BASE}/curator`);
    await page.getByLabel("Admin token").fill("not-the-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Not signed in" }).waitFor();
  });

  await t.test("the curator signs in", async () => {
    await page.goto(`${BASE}/curator`);
    await page.getByLabel("Admin token").fill(TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("You are signed in").waitFor();
  });

  await t.test("claims an ORCID from the person page and sees it", async () => {
    await openPerson();
    const curate = page.locator("section.curate");
    await curate.getByRole("heading", { name: "Curate" }).waitFor();
    await curate.getByLabel("ORCID").fill("0000-0002-1825-0097");
    await curate.getByRole("button", { name: "Claim" }).click();
    await page.getByRole("link", { name: "0000-0002-1825-0097" }).waitFor();
    await page.locator("section.curate li", { hasText: "claim by curator (web)" }).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}curator.png`, fullPage: true });
  });

  await t.test("undoes it", async () => {
    await page.locator("section.curate li", { hasText: "claim by curator (web)" }).getByRole("button", { name: "Undo" }).click();
    await page.locator("section.curate li", { hasText: "(undone " }).waitFor();
    assert.equal(await page.getByRole("link", { name: "0000-0002-1825-0097" }).count(), 0);
  });

  await t.test("splits a ticked paper off, and undoes it", async () => {
    await openPerson();
    const tick = page.locator('input[type="checkbox"][form="split-form"]').first();
    const mention = await tick.getAttribute("value");
    await tick.check();
    await page.locator("section.curate").getByRole("button", { name: "Split" }).click();
    // The new person's page: the one ticked paper.
    await page.locator(`code:text-is("${mention}")`).waitFor();
    assert.equal(await page.locator('input[type="checkbox"][form="split-form"]').count(), 1);
    await openPerson();
    await page.locator("section.curate li", { hasText: "split by curator (web)" }).getByRole("button", { name: "Undo" }).click();
    await page.locator("section.curate li", { hasText: "split by curator (web)" }).filter({ hasText: "(undone " }).waitFor();
    await page.locator(`code:text-is("${mention}")`).waitFor();
  });

  await t.test("signs out, and the form is gone", async () => {
    await page.goto(`${BASE}/curator`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { level: 1, name: "Curator sign-in" }).waitFor();
    await openPerson();
    assert.equal(await page.locator("section.curate").count(), 0);
  });

  // The refused sign-in answers 401 on purpose; Chromium logs that as a failed resource.
  assert.deepEqual(problems.filter((p) => !p.includes("status of 401")), []);
  assert.equal(problems.length, 1, problems.join("\n"));
});
