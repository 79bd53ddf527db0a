// The team pages of a site built from examples/, in Debian's headless
// Chromium (never a downloaded browser), from file://:
//
//   node tests/browser/teams.mjs EXAMPLES_SITE CONTACTS_SITE
//
// CONTACTS_SITE: examples/ built with `site.contacts: true`.
//
// The team index links each team's emergency card; an incident's service
// links the team that answers for it; each card prints on exactly one A4
// page, with the contacts too; axe-core finds no serious or critical violation on the team pages,
// light or dark; a phone gets no sideways scrolling; no page logs an error
// or asks for anything outside the site.

import { assert, check, finish, open } from "./harness.mjs";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [site, contactsSite] = process.argv.slice(2).map((p) => p && resolve(p));
if (!site || !contactsSite) {
  console.error("usage: node teams.mjs EXAMPLES_SITE CONTACTS_SITE");
  process.exit(2);
}
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const url = (rel, root = site) => pathToFileURL(join(root, rel)).href;
const TEAMS = ["edge", "payments", "platform"];

const { page, errors, outside, close } = await open("teams");

try {
  await check("the team index links each card, and an incident's service its team", async () => {
    await page.goto(url("index.html"));
    await page.click("nav.nav a[href$='teams/index.html']");
    await page.waitForLoadState("load");
    assert(page.url().endsWith("teams/index.html"), page.url());
    const teams = await page.$$eval("table.teams tbody tr .id", (ids) => ids.map((i) => i.textContent));
    assert(teams.join() === TEAMS.join(), `teams by id: ${teams}`);
    await page.click("table.teams a[href$='payments/index.html']");
    await page.waitForLoadState("load");
    assert((await page.textContent("h1")) === "Payments", await page.textContent("h1"));
    const tree = await page.$$eval(".call-tree > li > ul > li > .person b", (b) => b.map((x) => x.textContent));
    assert(tree.join() === "Tomás Ortega,Dana Whitfield", `called by the first entry: ${tree}`);

    await page.goto(url("incidents/INC-2026-004/index.html"));
    await page.click("a.chip.service[href$='teams/edge/index.html']");
    await page.waitForLoadState("load");
    assert(page.url().endsWith("teams/edge/index.html"), page.url());
  });

  await check("each emergency card prints on one A4 page", async () => {
    for (const id of TEAMS) {
      await page.goto(url(`teams/${id}/index.html`));
      await page.waitForLoadState("load");
      const pdf = await page.pdf({ format: "A4", printBackground: true });
      // Page objects, not the /Pages tree that holds them.
      const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
      assert(pages === 1, `teams/${id} prints on ${pages} pages`);
    }
    // Printed, the card is all there is: no navigation, no notes.
    await page.emulateMedia({ media: "print" });
    const hidden = await page.evaluate(() =>
      [".masthead", ".footer", ".crumbs", ".team-notes", ".site-search"].filter((s) => {
        const e = document.querySelector(s);
        return e && getComputedStyle(e).display !== "none";
      }));
    // Back to no emulation: page.pdf() prints with the print styles.
    await page.emulateMedia({ media: null });
    assert(hidden.length === 0, `printed: ${hidden}`);
  });

  await check("phones at 390 px: the team pages do not scroll sideways", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const rel of ["teams/index.html", ...TEAMS.map((t) => `teams/${t}/index.html`)]) {
      await page.goto(url(rel));
      await page.waitForLoadState("load");
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      assert(wide <= 390, `${rel} is ${wide} px wide at 390 px`);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  // Before axe-core, which reads the style sheets in ways file:// refuses.
  await check("with site.contacts, the cards link phones and still print on one page", async () => {
    await page.goto(url("teams/payments/index.html", contactsSite));
    const tel = await page.$$eval(".call-tree a.tel", (a) => a.map((x) => x.getAttribute("href")));
    assert(tel.length === 4 && tel[0] === "tel:+442079460101", `phones: ${tel}`);
    for (const id of TEAMS) {
      await page.goto(url(`teams/${id}/index.html`, contactsSite));
      await page.waitForLoadState("load");
      const pdf = await page.pdf({ format: "A4", printBackground: true });
      const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
      assert(pages === 1, `teams/${id} with contacts prints on ${pages} pages`);
    }
  });

  await check("no errors and nothing fetched from outside", async () => {
    assert(errors.length === 0, errors.join("\n"));
    assert(outside.length === 0, outside.join("\n"));
  });

  await check("axe-core finds no serious or critical violation on the team pages, light and dark", async () => {
    const found = [];
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const rel of ["teams/index.html", ...TEAMS.map((t) => `teams/${t}/index.html`), "drills/CTT-2026-001/index.html", "reviews/2026-Q4/index.html", "incidents/INC-2026-002/index.html"]) {
        await page.goto(url(rel));
        await page.waitForLoadState("load");
        await page.evaluate(AXE);
        const violations = await page.evaluate(async () => {
          const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] } });
          return r.violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
        });
        for (const v of violations) found.push(`${scheme} ${rel}: ${v}`);
      }
    }
    await page.emulateMedia({ colorScheme: "light" });
    assert(found.length === 0, found.join("\n"));
  });

} finally {
  await close();
}
finish();
