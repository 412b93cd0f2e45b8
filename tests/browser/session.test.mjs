// A real session in Debian's chromium against `arrow demo` (started by scripts/test-browser, which sets
// ARROW_URL): search, refine by a facet, open a paper, see rendered math, export BibTeX, follow an author
// to the name cluster. Asserts on what a person sees; screenshots go to tests/browser/artifacts/.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile } from "node:fs/promises";
import { BASE, launch } from "./chromium.mjs";

const ARTIFACTS = new URL("./artifacts/", import.meta.url).pathname;

let browser;
let context;
let page;
const problems = [];

async function shot(name, fullPage = true) {
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage });
}

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launch();
  context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(15000);
  // Script errors and Content-Security-Policy violations fail the session.
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
});

after(async () => {
  await browser?.close();
});

test("a reader's session", async (t) => {
  await t.test("the home page lists recent papers", async () => {
    await page.goto(`${BASE}/`);
    assert.match(await page.title(), /Arrow Research search/);
    await page.getByRole("heading", { level: 1, name: "Recent papers" }).waitFor();
    assert.ok((await page.locator("article.entry").count()) > 0);
    await shot("01-home");
  });

  await t.test("the help is one click away", async () => {
    await page.getByRole("link", { name: "How to search" }).click();
    await page.getByRole("heading", { level: 1, name: "How to search" }).waitFor();
    assert.ok(await page.getByText("the exact phrase").isVisible());
    await page.goBack();
  });

  await t.test("typing offers suggestions", async () => {
    await page.getByLabel("Search papers").fill("Pol");
    await page.waitForFunction(() =>
      [...document.querySelectorAll("#suggestions option")].some((o) => o.value === "Michael Poli"),
    );
  });

  await t.test("search shows results with a count", async () => {
    const box = page.getByLabel("Search papers");
    await box.fill("hyena");
    await box.press("Enter");
    await page.getByRole("heading", { level: 1, name: /Results for/ }).waitFor();
    const status = await page.getByRole("status").innerText();
    assert.match(status, /^\d+ results?/);
    assert.ok(await page.getByRole("link", { name: /Hyena Hierarchy/ }).isVisible());
    await shot("02-search");
  });

  await t.test("a venue facet refines the query", async () => {
    const facets = page.getByRole("complementary", { name: "Refine the results" });
    await facets.getByRole("link", { name: "ICML", exact: true }).click();
    await page.waitForURL(/venue=ICML/);
    assert.ok(await page.getByRole("list", { name: "Active filters" }).getByText("ICML").isVisible());
    const metas = await page.locator("article.entry .meta").allInnerTexts();
    assert.ok(metas.length > 0);
    for (const m of metas) assert.match(m, /^ICML /);
    await shot("03-refined");
  });

  await t.test("a paper page renders its TeX as math", async () => {
    const box = page.getByLabel("Search papers");
    await box.fill("title:(weighted sgd regression)");
    await box.press("Enter");
    await page.getByRole("link", { name: /Weighted SGD for/ }).first().click();
    const h1 = page.getByRole("heading", { level: 1 });
    await h1.waitFor();
    assert.match(await h1.innerText(), /Weighted SGD for/);
    const math = page.locator("h1 math");
    assert.equal(await math.count(), 1, "the title's $\\ell_p$ is a <math> element");
    const boxSize = await math.boundingBox();
    assert.ok(boxSize && boxSize.width > 0, "the formula is laid out");
    assert.ok(!(await h1.innerText()).includes("$"), "no raw TeX dollars in the title");
    await page.getByRole("heading", { name: "Identifiers" }).or(page.getByRole("heading", { name: "Cite" })).first().waitFor();
    await shot("04-paper");
  });

  await t.test("the paper's BibTeX is shown and downloads", async () => {
    await page.getByText("Show BibTeX").click();
    const shown = await page.getByRole("region", { name: "BibTeX" }).or(page.locator("details.bibtex pre")).first().innerText();
    assert.match(shown, /^@(article|inproceedings)\{\w+\d{4}weighted,/);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "BibTeX", exact: true }).click(),
    ]);
    const text = await readFile(await download.path(), "utf8");
    assert.match(text, /title = \{Weighted \{SGD\} for \$\\ell_p\$ Regression/);
    assert.match(text, /Christopher R[ée]|Ré/);
    await shot("05-bibtex");
  });

  await t.test("an author link leads to the name cluster", async () => {
    const authors = page.locator("article.paper").getByRole("list", { name: "Authors" });
    // Beside each name, after disambiguation, a link to the person.
    assert.ok(await authors.getByRole("link", { name: /^Christopher Ré as a person/ }).isVisible());
    await authors.getByRole("link", { name: "Christopher Ré", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Christopher Ré" }).waitFor();
    assert.ok(await page.getByText("107 papers", { exact: true }).isVisible());
    assert.ok(await page.getByText("Author name cluster").isVisible());
    const facets = page.getByRole("complementary", { name: "Narrow the papers" });
    await facets.getByRole("link", { name: "NeurIPS", exact: true }).click();
    await page.waitForURL(/venue=NeurIPS/);
    assert.equal(await page.locator("p.count").innerText(), "46");
    await shot("06-name-cluster", false);
  });

  await t.test("the name cluster links to the person, whose page shows variants and a chart", async () => {
    await page.goto(`${BASE}/names/${encodeURIComponent("Mayee Chen")}`);
    await page.getByText("1 person has this name").waitFor();
    await page.locator("section.people").getByRole("link").first().click();
    await page.waitForURL(/\/people\//);
    await page.getByRole("heading", { level: 2, name: "Written as" }).waitFor();
    const written = await page.locator("ul.tally").first().innerText();
    assert.match(written, /Mayee F\. Chen/);
    assert.match(written, /Mayee Chen/);
    assert.ok(await page.locator("svg.years").isVisible(), "works per year drawn");
    await shot("09-person");
    // Each paper's why? explains it against the person's first-listed paper: a page naming both mentions.
    await page.locator("a.why").first().click();
    await page.waitForURL(/\/explain\?/);
    const names = await page.locator("ul.mentions li strong").allInnerTexts();
    assert.equal(names.length, 2);
    for (const n of names) assert.match(n, /Mayee/);
    await page.getByRole("heading", { level: 1, name: `${names[0]} and ${names[1]}` }).waitFor();
  });

  await t.test("a search with no results says what to try", async () => {
    await page.goto(`${BASE}/search?q=${encodeURIComponent('"hyena zebra"')}`);
    await page.getByRole("heading", { name: "No papers match" }).waitFor();
    const offer = page.getByRole("link", { name: "hyena OR zebra" });
    assert.ok(await offer.isVisible(), "a search that finds papers is offered");
    await offer.click();
    assert.match(await page.getByRole("status").innerText(), /^[1-9]\d* results?/);
    await shot("07-no-results");
  });

  await t.test("keyboard: the first Tab reaches the skip link", async () => {
    await page.goto(`${BASE}/search?q=hyena`);
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => document.activeElement?.textContent);
    assert.match(focused || "", /Skip to/);
  });

  await t.test("readable on a phone: no sideways scrolling", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ["/search?q=hyena", "/names/Christopher%20R%C3%A9", "/help"]) {
      await page.goto(`${BASE}${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${path} overflows by ${overflow}px`);
    }
    await page.goto(`${BASE}/search?q=hyena`);
    await shot("08-phone");
  });

  await t.test("no script errors or CSP violations", () => {
    assert.deepEqual(problems, []);
  });
});
