// Timings of the long pages of a built site in headless Chromium, from
// file:// (see bench/pages.sh, which builds the site first).
//
//   node bench/pages.mjs SITE [RUNS]
//
// For the index and the actions page: the size of the HTML and its data,
// the time from navigation until the filters answer (the page's
// DOMContentLoaded, after its scripts ran), and the time each filter
// change or keystroke takes until the next frame is drawn. For full-text
// search: the size of the index and the time of a query, the first (which
// loads its shards and document chunks) and again. Each figure is the
// median of RUNS fresh page loads, with the range.

import { createRequire } from "node:module";
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(join(resolve(new URL(".", import.meta.url).pathname), "../tests/browser/package.json"));
const { chromium } = require("playwright-core");
const site = resolve(process.argv[2] || "");
const runs = Number(process.argv[3] || 5);
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

const size = (rel) => statSync(join(site, rel)).size;
const mb = (bytes) => (bytes / 1e6).toFixed(2) + " MB";
function dirSize(rel) {
  let total = 0, files = 0;
  for (const f of readdirSync(join(site, rel))) { total += statSync(join(site, rel, f)).size; files++; }
  return [total, files];
}
function summary(values) {
  const v = [...values].sort((a, b) => a - b);
  const med = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  return `${med.toFixed(0).padStart(5)} ms  (${v[0].toFixed(0)} to ${v[v.length - 1].toFixed(0)})`;
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const results = new Map();
const record = (name, ms) => { if (!results.has(name)) results.set(name, []); results.get(name).push(ms); };

// Time from the change until the next frame has been drawn.
const step = (page, fn, arg) => page.evaluate(async ([body, a]) => {
  const t0 = performance.now();
  new Function("a", body)(a);
  // Tasks the change queued run first, then the next frame is drawn.
  await new Promise((ok) => setTimeout(ok, 0));
  await new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0)));
  return performance.now() - t0;
}, [fn, arg]);
const SELECT = "const s = document.getElementById(a[0]); s.value = a[1]; s.dispatchEvent(new Event('change', { bubbles: true }));";
const TYPE = "const q = document.getElementById('hs-q'); q.value += a; q.dispatchEvent(new Event('input', { bubbles: true }));";
// As a click on "Clear" does: the form resets, and the page filters again
// in a task of its own once the fields hold their reset values.
const CLEAR = "document.getElementById('hs-reset').click();";

for (let run = 0; run < runs; run++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on("pageerror", (e) => { console.error("page error:", e.message); process.exitCode = 1; });

  await page.goto(pathToFileURL(join(site, "index.html")).href);
  await page.waitForSelector("#hs-filters:not([hidden])");
  record("index: filters usable after navigation", await page.evaluate(() => performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd));
  const sev = await page.$eval("#hs-severity option:nth-child(2)", (o) => o.value);
  record("index: choose a severity", await step(page, SELECT, ["hs-severity", sev]));
  record("index: clear", await step(page, CLEAR));
  let keys = [];
  for (const ch of "replica") keys.push(await step(page, TYPE, ch));
  record("index: one keystroke (mean of 7)", keys.reduce((a, b) => a + b) / keys.length);
  record("index: show 50 more", await step(page, "document.getElementById('hs-more').click()"));

  await page.goto(pathToFileURL(join(site, "actions/index.html")).href);
  await page.waitForSelector("#hs-filters:not([hidden])");
  record("actions: filters usable after navigation", await page.evaluate(() => performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd));
  const owner = await page.$eval("#hs-owner option:nth-child(2)", (o) => o.value);
  record("actions: choose an owner", await step(page, SELECT, ["hs-owner", owner]));
  record("actions: overdue only", await step(page, SELECT, ["hs-state", "overdue"]));
  keys = [];
  for (const ch of "cache") keys.push(await step(page, TYPE, ch));
  record("actions: one keystroke (mean of 5)", keys.reduce((a, b) => a + b) / keys.length);

  await page.goto(pathToFileURL(join(site, "search/index.html")).href);
  await page.waitForFunction(() => window.hsSearch && window.hsSearch.run);
  const query = (q) => page.evaluate(async (q) => { await window.hsSearch.run(q); return window.hsSearch.lastQueryMs; }, q);
  record("search: first query, two words (loads shards)", await query("replica timeout"));
  record("search: the same query again", await query("replica timeout"));
  record("search: a third word", await query("replica timeout dns"));
  record("search: a rare word", await query("quartermaster"));
  await context.close();
}
await browser.close();

const [textBytes, textFiles] = dirSize("assets/search");
console.log(`site: ${site}`);
console.log(`index.html ${mb(size("index.html"))}, its data ${mb(size("assets/data/incidents.js"))}`);
console.log(`actions/index.html ${mb(size("actions/index.html"))}, its data ${mb(size("assets/data/actions.js"))}`);
console.log(`full-text index: ${mb(textBytes)} in ${textFiles} files`);
console.log(`median of ${runs} runs (range):`);
for (const [name, values] of results) console.log(`  ${name.padEnd(48)} ${summary(values)}`);
