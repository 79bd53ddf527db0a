// The drill pages of a site built from examples/, in Debian's headless
// Chromium (never a downloaded browser), from file://:
//
//   node tests/browser/drills.mjs EXAMPLES_SITE
//
// The drill index filters by kind, status, runbook and year and searches
// titles, scenarios and findings, keeping the filters in the address; a
// drill page shows its scenario, participants, runbooks, findings, action
// items and body; runbook, action and review pages link to drills. No page
// logs an error or asks for anything outside the site.

import { assert, check, finish, open } from "./harness.mjs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const site = process.argv[2] && resolve(process.argv[2]);
if (!site) {
  console.error("usage: node drills.mjs EXAMPLES_SITE");
  process.exit(2);
}
const url = (rel) => pathToFileURL(join(site, rel)).href;

const { page, errors, outside, close } = await open("drills");
const visible = () =>
  page.$$eval("#hs-drills tbody tr", (rows) => rows.filter((r) => !r.hidden).map((r) => r.querySelector(".id").textContent));

try {
  await check("the drill index filters and searches", async () => {
    await page.goto(url("drills/index.html"));
    await page.waitForSelector("#hs-drill-filters:not([hidden])");
    const all = await visible();
    assert(all.join() === "DRILL-2026-003,DRILL-2026-002,CTT-2026-001,DRILL-2026-001", `newest first: ${all}`);

    await page.selectOption("#hs-drill-kind", "game-day");
    await page.waitForFunction(() => document.getElementById("hs-drill-count").textContent.includes(" of "));
    assert((await visible()).join() === "DRILL-2026-002", `kind: ${await visible()}`);
    assert((await page.textContent("#hs-drill-count")) === "1 of 4 drills", await page.textContent("#hs-drill-count"));
    assert(page.url().endsWith("#kind=game-day"), `address: ${page.url()}`);

    await page.selectOption("#hs-drill-kind", "");
    await page.selectOption("#hs-drill-status", "held");
    assert((await visible()).join() === "DRILL-2026-002,CTT-2026-001,DRILL-2026-001", `held: ${await visible()}`);

    await page.selectOption("#hs-drill-runbook", "dns-rollback");
    assert((await visible()).join() === "DRILL-2026-001", `runbook: ${await visible()}`);

    // Findings are searched too: only the game day's mention a pool.
    await page.click("#hs-drill-filters button[type=reset]");
    await page.waitForFunction(() => !document.getElementById("hs-drill-count").textContent.includes(" of "));
    await page.fill("#hs-drill-q", "connection pool");
    await page.waitForFunction(() => document.getElementById("hs-drill-count").textContent.includes(" of "));
    assert((await visible()).join() === "DRILL-2026-002", `search: ${await visible()}`);

    await page.fill("#hs-drill-q", "no drill says this");
    await page.waitForSelector("#hs-drill-none:not([hidden])");

    // A shared address restores its filters.
    await page.goto("about:blank");
    await page.goto(url("drills/index.html") + "#status=planned&year=2026");
    await page.waitForSelector("#hs-drill-filters:not([hidden])");
    assert((await visible()).join() === "DRILL-2026-003", `restored: ${await visible()}`);
    assert((await page.inputValue("#hs-drill-status")) === "planned", "status menu restored");
  });

  await check("a drill page shows what the drill was and found", async () => {
    await page.goto(url("drills/index.html"));
    await page.click("#hs-drills a[href$='DRILL-2026-002/index.html']");
    await page.waitForLoadState("load");
    assert(page.url().endsWith("drills/DRILL-2026-002/index.html"), page.url());
    for (const id of ["#hs-scenario", "#hs-participants", "#hs-runbooks", "#hs-findings", "#hs-action-items", "#hs-drill"]) {
      assert(await page.isVisible(id), `${id} shown`);
    }
    assert((await page.$$("#hs-participants li")).length === 5, "five participants");
    assert((await page.$$("#hs-findings ol.findings li")).length === 3, "three findings");
    assert((await page.$$("#hs-action-items table.items tbody tr")).length === 3, "three action items");
    assert((await page.$$("#hs-action-items tr.is-overdue")).length === 1, "one overdue item");
    // The body's link to the runbook file became a link to its page.
    await page.click("#hs-runbooks a");
    await page.waitForLoadState("load");
    assert(page.url().endsWith("runbooks/postgres-failover/index.html"), page.url());
    const exercised = await page.textContent("main");
    assert(exercised.includes("Last exercised") && exercised.includes("2026-10-21"), "runbook shows its last exercise");
    await page.click("#hs-drills a");
    await page.waitForLoadState("load");
    assert(page.url().endsWith("drills/DRILL-2026-002/index.html"), `back to the drill: ${page.url()}`);
    const body = await page.$eval("#hs-drill a[href*='runbooks']", (a) => a.getAttribute("href"));
    assert(body.endsWith("runbooks/postgres-failover/index.html"), `body link: ${body}`);
  });

  await check("actions, runbooks and reviews link to drills", async () => {
    await page.goto(url("actions/index.html"));
    const drillLinks = await page.$$eval("table.items a[href*='drills/']", (a) => a.map((x) => x.textContent.trim()));
    assert(drillLinks.some((t) => t.includes("DRILL-2026-002")), `actions page: ${drillLinks}`);
    await page.goto(url("runbooks/index.html"));
    const due = await page.$$eval("table.runbooks tbody tr", (rows) =>
      rows.filter((r) => r.querySelector(".badge.stale") && r.textContent.includes("drill due")).map((r) => r.querySelector(".id").textContent));
    assert(due.join() === "cdn-purge", `drill due: ${due}`);
    await page.goto(url("reviews/2026-Q4/index.html"));
    const quarter = await page.$$eval("#hs-drills ~ .drill-digests h3 a", (a) => a.map((x) => x.textContent));
    // The call-tree test, the game day and the planned restore test.
    assert(quarter.length === 3, `quarter lists its drills: ${quarter}`);
    await page.goto(url("reviews/2026-11/index.html"));
    const next = await page.textContent("#hs-drills");
    assert(next.includes("Planned for next month") && next.includes("Restore the search index"), "the monthly agenda lists next month's drill");
    await page.click("#hs-drills a[href$='DRILL-2026-003/index.html']");
    await page.waitForLoadState("load");
    assert(page.url().endsWith("drills/DRILL-2026-003/index.html"), page.url());
  });

  await check("no errors and nothing fetched from outside", async () => {
    assert(errors.length === 0, errors.join("\n"));
    assert(outside.length === 0, outside.join("\n"));
  });
} finally {
  await close();
}
finish();
