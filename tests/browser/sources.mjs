// The site of an organisation (SPEC section 13): examples/ with a copy of
// itself as the source `payments`, in Debian's headless Chromium, from
// file://:
//
//   node tests/browser/sources.mjs ORG_SITE
//
// The index and the open action items page filter by source; a source's
// pages, one folder deeper, load the site's styles and script and link
// back to the root; no page logs an error or asks for anything outside
// the site; axe-core (last: it reads the styles, which file:// refuses it
// with a console error) finds no serious or critical violation on them.

import { assert, check, finish, open } from "./harness.mjs";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const site = process.argv[2] && resolve(process.argv[2]);
if (!site) {
  console.error("usage: node sources.mjs ORG_SITE");
  process.exit(2);
}
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const url = (rel) => pathToFileURL(join(site, rel)).href;

const { page, errors, outside, close } = await open("sources");

async function visit(rel, hash = "") {
  await page.goto(url(rel) + hash);
  await page.waitForLoadState("load");
  await page.waitForTimeout(150);
}

/** The text of every row the list shows. */
async function rows(selector) {
  return page.$$eval(`${selector} tbody tr`, (trs) => trs.map((tr) => tr.textContent));
}

async function serious() {
  await page.addScriptTag({ content: AXE });
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] } });
    return r.violations;
  });
  return found.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help}`);
}

try {
  await check("the index filters by source", async () => {
    await visit("index.html");
    const all = await rows("#hs-incidents");
    assert(all.length === 20, `${all.length} rows in all`);
    await page.selectOption("#hs-source", "payments");
    await page.waitForTimeout(150);
    const payments = await rows("#hs-incidents");
    assert(payments.length === 10, `${payments.length} rows of payments`);
    assert(payments.every((r) => r.includes("payments:")), payments.join("\n"));
    await page.selectOption("#hs-source", "-");
    await page.waitForTimeout(150);
    const own = await rows("#hs-incidents");
    assert(own.length === 10 && own.every((r) => !r.includes("payments:")), own.join("\n"));
    // The filter is in the address, as the others are.
    assert(page.url().includes("source=-"), page.url());
  });

  await check("the open action items filter by source", async () => {
    await visit("actions/index.html", "#source=payments");
    const payments = await rows("#hs-actions");
    assert(payments.length > 0, "some open items of payments");
    assert(payments.every((r) => r.includes("payments:")), payments.join("\n"));
    await visit("actions/index.html");
    const all = await rows("#hs-actions");
    assert(all.length > payments.length, `${all.length} rows in all, ${payments.length} of payments`);
  });

  await check("a source's page loads the site's styles and links back to the root", async () => {
    // The styles a page of this repository has, a source's page has too.
    const styled = () => page.evaluate(() => {
      const nav = getComputedStyle(document.querySelector("nav.nav"));
      return [getComputedStyle(document.body).fontFamily, nav.display, nav.backgroundColor].join(" | ");
    });
    await visit("incidents/INC-2026-002/index.html");
    const own = await styled();
    await visit("payments/incidents/INC-2026-002/index.html");
    const source = await styled();
    assert(source === own, `a source's page: ${source}; this repository's: ${own}`);
    await page.click("nav.nav a[href$='actions/index.html']");
    await page.waitForLoadState("load");
    assert(page.url() === url("actions/index.html"), page.url());
  });

  await check("no page logged an error or asked for anything outside the site", async () => {
    assert(errors.length === 0, errors.join("\n"));
    assert(outside.length === 0, outside.join("\n"));
  });
  await check("axe-core finds no serious violation on the source's pages and facets", async () => {
    for (const rel of ["index.html", "actions/index.html", "payments/incidents/INC-2026-002/index.html", "reviews/2026-Q1/index.html"]) {
      await visit(rel);
      const found = await serious();
      assert(found.length === 0, `${rel}: ${found.join("; ")}`);
    }
  });

} finally {
  await close();
}
finish();
