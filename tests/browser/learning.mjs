// The site's learning-across-incidents parts in Debian's headless Chromium:
// an incident page with a missed response target shows it next to the time,
// the actions page lists the overdue postmortems, and a near miss is marked
// as one and listed apart on its factor's page. Run from file://.
//
//   node tests/browser/learning.mjs EXAMPLES_SITE
//
// EXAMPLES_SITE: the examples/ repository built with --today 2026-11-22.

import { chromium } from "playwright-core";
import { check, finish } from "./harness.mjs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const site = process.argv[2] && resolve(process.argv[2]);
if (!site) {
  console.error("usage: node learning.mjs EXAMPLES_SITE");
  process.exit(2);
}
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));

  await check("an incident page shows a missed target next to its time", async () => {
    // INC-2025-003 (SEV1) resolved in 2 h 31 min against a 2 h target.
    await page.goto(pathToFileURL(join(site, "incidents/INC-2025-003/index.html")).href);
    const row = page.locator("#hs-targets tr.target-resolve");
    assert(await row.isVisible(), "the resolve row is not visible");
    const cells = await row.locator("th, td").allInnerTexts();
    assert(cells[0] === "Time to resolve", `row: ${cells}`);
    assert(cells[1] === "2 h 31 min", `time: ${cells[1]}`);
    assert(cells[2] === "≤ 2 h", `target: ${cells[2]}`);
    const verdict = row.locator(".target-missed");
    assert(await verdict.isVisible(), "no visible 'missed' verdict");
    assert((await verdict.innerText()).trim() === "missed", "verdict text");
    // Its colour is not the page's text colour: the miss stands out.
    const [verdictColour, bodyColour] = await Promise.all([
      verdict.evaluate((e) => getComputedStyle(e).color),
      page.evaluate(() => getComputedStyle(document.body).color),
    ]);
    assert(verdictColour !== bodyColour, "the verdict has the body's colour");
    const heading = await page.locator("#hs-targets h2").innerText();
    assert(heading.includes("1 missed"), `heading: ${heading}`);
    const met = await page.locator("#hs-targets .target-met").count();
    assert(met === 2, `met verdicts: ${met}`);
    // The factors carry their descriptions; later incidents share a cause.
    const factors = await page.locator("#hs-factors").innerText();
    assert(factors.includes("Load or data grew past a limit nobody was watching"), factors);
    const later = await page.locator("#hs-same-cause").innerText();
    assert(later.includes("INC-2026-002") && later.includes("INC-2026-003"), later);
  });

  await check("the actions page lists overdue postmortems", async () => {
    await page.goto(pathToFileURL(join(site, "actions/index.html")).href);
    const section = page.locator("#hs-postmortems-overdue");
    assert(await section.isVisible(), "no overdue postmortems section");
    const text = await section.innerText();
    assert(text.includes("INC-2026-004") && text.includes("100 d"), text);
    await section.locator("a", { hasText: "INC-2026-004" }).click();
    assert(page.url().endsWith("incidents/INC-2026-004/index.html"), page.url());
    const state = await page.locator("#hs-postmortem-state").innerText();
    assert(state.includes("overdue 100 d"), state);
  });

  await check("a near miss says so, and its factor's page lists it beside the incidents", async () => {
    // NM-2026-001: caught by the disk forecast alert; factor capacity-unplanned,
    // which INC-2025-003 and INC-2026-003 name too.
    await page.goto(pathToFileURL(join(site, "incidents/NM-2026-001/index.html")).href);
    const badge = page.locator(".doc-head .badge.near-miss");
    assert(await badge.isVisible(), "no visible near-miss badge");
    assert((await badge.innerText()).trim() === "Near miss", "badge text");
    const lede = await page.locator("#hs-near-miss").innerText();
    assert(lede.includes("caught by the Kafka disk forecast alert"), lede);
    assert((await page.locator(".stats, #hs-targets").count()) === 0, "durations or targets shown");
    assert((await page.title()).startsWith("Near miss NM-2026-001: "), await page.title());

    await page.locator("#hs-factors a.chip.factor", { hasText: "capacity-unplanned" }).click();
    assert(page.url().endsWith("factors/capacity-unplanned/index.html"), page.url());
    const incidents = await page.locator("#hs-incidents").innerText();
    assert(incidents.includes("INC-2026-003") && incidents.includes("INC-2025-003"), incidents);
    assert(!incidents.includes("NM-2026-001"), "the near miss is among the incidents");
    const near = await page.locator("#hs-near-misses").innerText();
    assert(near.includes("NM-2026-001") && near.includes("caught by"), near);

    await page.locator(".crumbs a", { hasText: "Contributing factors" }).click();
    const row = page.locator("#hs-factor-list tr", { hasText: "capacity-unplanned" });
    const cells = await row.locator("td").allInnerTexts();
    assert(cells.join(" ") === "2 1", `incidents and near misses: ${cells}`);
  });

  await check("no page logged an error", async () => {
    assert(errors.length === 0, errors.join("\n"));
  });
} finally {
  await browser.close();
}
finish();
