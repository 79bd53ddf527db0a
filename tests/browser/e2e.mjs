// End-to-end test of a site built by `hindsight build`, in Debian's
// headless Chromium (never a downloaded browser).
//
//   node tests/browser/e2e.mjs EXAMPLES_SITE HOSTILE_SITE SEARCH_SITE MANY_SITE
//
// EXAMPLES_SITE: the examples/ repository built; HOSTILE_SITE: the
// tests/fixtures/site-hostile repository built; SEARCH_SITE: the
// tests/fixtures/site-search repository built; MANY_SITE: a generated
// repository with more incidents and action items than a page shows.
// Checks, from file://, that the index filters and search work and that
// pages log no errors; that the long lists page and filter; that full-text
// search finds words anywhere in a postmortem; that axe-core finds no
// serious or critical violation on any kind of page (the review numbers'
// strip charts included), light or dark; that the HTML report's charts
// have the site's tables of numbers; that
// phones get no sideways scrolling; that a quarterly review prints whole;
// that the hostile documents ran nothing; and, over HTTP under a sub-path
// on 127.0.0.1, that every internal link of every page resolves and that no
// page asks for anything outside the site.

import { chromium } from "playwright-core";
import { check, finish } from "./harness.mjs";
import { createServer } from "node:http";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";

const [examples, hostile, searchSite, many] = process.argv.slice(2).map((p) => p && resolve(p));
if (!examples || !hostile || !searchSite || !many) {
  console.error("usage: node e2e.mjs EXAMPLES_SITE HOSTILE_SITE SEARCH_SITE MANY_SITE");
  process.exit(2);
}
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const file = (site, rel) => pathToFileURL(join(site, rel)).href;
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SUB_PATH = "/teams/platform/incidents/";

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/// In the page: every element whose content is wider than the element
/// itself, unless the element scrolls sideways, shows that it does (the
/// edge shadows of .scroll-x) and can be scrolled from the keyboard (it is
/// a named, focusable region, or holds something focusable). Visually
/// hidden elements (a stacked table's header, screen-reader text) and the
/// viewport's own width are left to the caller.
function tooWide() {
  const name = (el) => el.tagName.toLowerCase() + (el.id ? `#${el.id}` : "") +
    (typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "");
  const clipped = (el) => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.clip !== "auto" || (s.position === "absolute" && e.clientWidth <= 1)) return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.clientWidth === 0 || el.scrollWidth <= el.clientWidth + 1 || clipped(el)) continue;
    const s = getComputedStyle(el);
    const where = `${name(el)} (content ${el.scrollWidth} px in ${el.clientWidth} px)`;
    if (s.overflowX !== "auto" && s.overflowX !== "scroll") {
      out.push(`${where} overflows`);
      continue;
    }
    const cue = s.backgroundAttachment.includes("local") && s.backgroundImage.includes("gradient");
    const region = el.tabIndex === 0 && el.getAttribute("role") === "region" && (el.getAttribute("aria-label") || "").trim() !== "";
    const inside = el.querySelector("a[href], button, input, select, textarea, summary, [tabindex='0']");
    if (!cue) out.push(`${where} scrolls without a cue`);
    if (!region && !inside) out.push(`${where} scrolls but not from the keyboard`);
  }
  return out;
}

/// In the page: the average brightness of a PNG's middle `band` columns
/// and of `band` columns 2 px in from each edge (a fractional width leaves
/// a sliver at the edge), 0 black .. 255 white.
async function edgeBrightness({ png, band }) {
  const img = new Image();
  img.src = `data:image/png;base64,${png}`;
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = img.width;
  canvas.height = img.height;
  const g = canvas.getContext("2d");
  g.drawImage(img, 0, 0);
  const mean = (x0) => {
    const d = g.getImageData(x0, 0, band, img.height).data;
    let sum = 0;
    for (let k = 0; k < d.length; k += 4) sum += (d[k] + d[k + 1] + d[k + 2]) / 3;
    return sum / (d.length / 4);
  };
  return { left: mean(2), middle: mean(Math.floor(img.width / 2 - band / 2)), right: mean(img.width - band - 2) };
}

/// Console errors and page errors, and requests that left the site.
function watch(page, log) {
  page.on("console", (m) => {
    if (m.type() === "error") log.errors.push(`${page.url()}: console: ${m.text()}`);
  });
  page.on("pageerror", (e) => log.errors.push(`${page.url()}: ${e.message}`));
  page.on("dialog", async (d) => {
    log.dialogs.push(`${page.url()}: ${d.type()} ${d.message()}`);
    await d.dismiss();
  });
}

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".xml": "application/xml",
  ".png": "image/png",
};

/// A static host for `root` under SUB_PATH, on 127.0.0.1 only.
function serve(root) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    let path = decodeURIComponent(url.pathname);
    if (!path.startsWith(SUB_PATH)) {
      res.writeHead(404).end("outside the site");
      return;
    }
    path = path.slice(SUB_PATH.length);
    if (path === "" || path.endsWith("/")) path += "index.html";
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (!statSync(file).isFile()) throw new Error("not a file");
      res.writeHead(200, { "content-type": MIME[extname(file)] || "application/octet-stream" });
      res.end(readFileSync(file));
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

const profile = mkdtempSync(join(tmpdir(), "hindsight-e2e-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
context.setDefaultTimeout(15000);
const log = { errors: [], dialogs: [], outside: [] };
// The site must work offline: any request that is not for a file of the
// site or the local server is recorded and refused.
await context.route("**/*", (route) => {
  const url = new URL(route.request().url());
  if (url.protocol === "file:" || url.hostname === "127.0.0.1") return route.continue();
  log.outside.push(route.request().url());
  return route.abort();
});
const page = context.pages()[0] || (await context.newPage());
watch(page, log);
const visibleRows = () =>
  page.$$eval("#hs-incidents tbody tr", (rows) => rows.filter((r) => !r.hidden).length);

try {
  await check("the index filters and searches from file://", async () => {
    await page.goto(pathToFileURL(join(examples, "index.html")).href);
    await page.waitForSelector("#hs-filters:not([hidden])");
    const all = await visibleRows();
    // Nine incidents and a near miss.
    assert(all === 10, `expected 10 rows, saw ${all}`);

    await page.selectOption("#hs-severity", "SEV1");
    const sev1 = await visibleRows();
    assert(sev1 > 0 && sev1 < all, `severity filter left ${sev1} of ${all}`);
    const count = await page.textContent("#hs-count");
    assert(count.includes(`${sev1} of ${all}`), `count says "${count}"`);
    const badges = await page.$$eval("#hs-incidents tbody tr:not([hidden]) .badge.sev-1", (b) => b.length);
    assert(badges === sev1, "every remaining row is SEV1");

    await page.click("#hs-reset");
    await page.waitForFunction(() => !document.getElementById("hs-count").textContent.includes(" of "));
    assert((await visibleRows()) === all, "clear shows everything again");

    await page.fill("#hs-q", "dns");
    await page.waitForFunction((n) => {
      const rows = [...document.querySelectorAll("#hs-incidents tbody tr")];
      return rows.filter((r) => !r.hidden).length < n;
    }, all);
    const dns = await visibleRows();
    assert(dns > 0 && dns < all, `search "dns" left ${dns}`);

    await page.selectOption("#hs-year", "2026");
    const both = await visibleRows();
    assert(both > 0 && both <= dns, `search and year left ${both}`);
    assert(page.url().includes("q=dns") && page.url().includes("year=2026"), `filters kept in the address: ${page.url()}`);

    await page.fill("#hs-q", "no incident says this");
    await page.waitForSelector("#hs-none:not([hidden])");
    assert((await visibleRows()) === 0, "nothing matches nonsense");

    await page.selectOption("#hs-service", "checkout");
    await page.fill("#hs-q", "");
    await page.selectOption("#hs-year", "");
    await page.waitForFunction(() => document.querySelector("#hs-none").hidden);
    const checkout = await visibleRows();
    assert(checkout > 0 && checkout < all, `service filter left ${checkout}`);
  });

  await check("the index's summaries load after it and are filtered and shown", async () => {
    await page.goto(pathToFileURL(join(examples, "index.html")).href);
    await page.waitForSelector("#hs-filters:not([hidden])");
    await page.waitForFunction(() => Array.isArray(window.HINDSIGHT_SUMMARIES));
    // The list data carries no summaries; their own script does.
    const inData = await page.evaluate(() => window.HINDSIGHT_INCIDENTS.rows.filter((r) => r[12]).length);
    assert(inData === 0, `${inData} summaries in the list data`);
    // "Patroni" is only in INC-2026-002's summary.
    await page.fill("#hs-q", "patroni");
    await page.waitForFunction(() => document.getElementById("hs-count").textContent.startsWith("1 of "));
    const row = await page.$eval("#hs-incidents tbody tr", (r) => r.textContent);
    assert(row.includes("INC-2026-002") && row.includes("Patroni promoted a replica"), `the row: ${row}`);
    await page.fill("#hs-q", "");
    await page.waitForFunction(() => !document.getElementById("hs-count").textContent.includes(" of "));
    const summaries = await page.$$eval("#hs-incidents tbody .summary", (s) => s.length);
    assert(summaries >= 9, `rows drawn again show their summaries: ${summaries}`);
  });

  await check("an incident page opens from the index without errors", async () => {
    await page.goto(pathToFileURL(join(examples, "index.html")).href);
    await page.click("#hs-incidents tbody tr:first-child td:nth-child(2) > a");
    await page.waitForLoadState("load");
    assert(/incidents\/[^/]+\/index\.html$/.test(page.url()), `landed on ${page.url()}`);
    assert((await page.$$("h1")).length === 1, "one title");
    assert((await page.$$(".stats > div")).length === 6, "six stats");
    await page.goto(pathToFileURL(join(examples, "incidents/INC-2026-002/index.html")).href);
    assert((await page.$$("ol.whys li")).length === 5, "five whys");
    assert((await page.$$("table.items tbody tr")).length === 5, "five action items");
    const css = await page.$eval("body", (b) => getComputedStyle(b).fontFamily);
    assert(css.includes("system-ui"), "the stylesheet is applied");
    assert(log.errors.length === 0, log.errors.join("\n"));
  });

  await check("a malformed address (#q=%) is read as written, without a script error", async () => {
    const before = log.errors.length;
    await page.goto(file(examples, "index.html") + "#q=%&severity=%E0%A4%A");
    await page.waitForLoadState("load");
    assert((await page.$eval("#hs-q", (q) => q.value)) === "%", "the search box shows the text as typed");
    assert(log.errors.length === before, log.errors.slice(before).join("\n"));
  });

  await check("the long index pages through every incident and follows the address", async () => {
    await page.goto(file(many, "index.html"));
    await page.waitForSelector("#hs-filters:not([hidden])");
    const total = await page.evaluate(() => window.HINDSIGHT_INCIDENTS.rows.length);
    assert(total === 250, `expected 250 incidents in the data, saw ${total}`);
    assert((await visibleRows()) === 50, "a first page of 50 rows");
    assert((await page.textContent("#hs-count")).includes("250 incidents, the first 50 shown"), await page.textContent("#hs-count"));
    await page.click("#hs-more");
    assert((await visibleRows()) === 100, "a second page appended");
    for (let n = 0; n < 3; n++) await page.click("#hs-more");
    assert((await visibleRows()) === 250, "every incident reached");
    assert(await page.isHidden("#hs-more"), "nothing more to show");
    const last = await page.textContent("#hs-incidents tbody tr:last-child .id");
    assert(last === "MANYVENDOR-2024-001", `the oldest incident comes last, saw ${last}`);
    // Editing the address re-filters the open page.
    await page.evaluate(() => { location.hash = "#severity=SEV2&q=case"; });
    await page.waitForFunction(() => document.getElementById("hs-severity").value === "SEV2");
    const sev2 = await page.$$eval('#hs-incidents tbody td:first-child .badge', (b) => b.map((x) => x.textContent));
    assert(sev2.length > 0 && sev2.every((t) => t === "SEV2"), `after editing the address: ${sev2.slice(0, 5)}`);
    assert((await page.inputValue("#hs-q")) === "case", "the text filter follows the address");
    // A tag, a service and an owner are found by the filter box.
    for (const word of ["regex", "mysql", "owner7"]) {
      await page.fill("#hs-q", word);
      await page.selectOption("#hs-severity", "");
      const n = await visibleRows();
      assert(n > 0, `the filter finds ${word}`);
    }
    assert(log.errors.length === 0, log.errors.join("\n"));
  });

  await check("the actions page filters by owner and state, overdue first", async () => {
    await page.goto(file(many, "actions/index.html"));
    await page.waitForSelector("#hs-filters:not([hidden])");
    const rows = () => page.$$eval("#hs-actions tbody tr", (r) => r.map((x) => ({
      overdue: x.classList.contains("is-overdue"),
      owner: x.querySelector("td:nth-child(3)").textContent,
    })));
    let all = await rows();
    assert(all.length === 50, `a first page of 50 items, saw ${all.length}`);
    const days = await page.$$eval("#hs-actions tbody .badge.overdue", (b) => b.map((x) => parseInt(x.textContent.replace(/\D+/g, ""), 10)));
    assert(days.length === 50 && days.every((d, i) => i === 0 || d <= days[i - 1]), "longest overdue on top");
    for (let n = 0; n < 11; n++) await page.click("#hs-more");
    all = await rows();
    const firstDue = all.findIndex((r) => !r.overdue);
    assert(all.length === 600 && firstDue === 500 && all.slice(firstDue).every((r) => !r.overdue), `the 500 overdue items come first (${firstDue})`);
    await page.selectOption("#hs-owner", "owner3");
    all = await rows();
    assert(all.length > 0 && all.every((r) => r.owner === "owner3"), "one owner's items");
    await page.selectOption("#hs-state", "overdue");
    all = await rows();
    assert(all.length > 0 && all.every((r) => r.overdue && r.owner === "owner3"), "that owner's overdue items");
    assert((await page.textContent("#hs-count")).includes(" of "), "the count says it is filtered");
    // An owner's anchor (linked from the reviews) filters by that owner.
    await page.goto(file(many, "actions/index.html") + "#owner-owner5");
    await page.waitForSelector("#hs-filters:not([hidden])");
    all = await rows();
    assert(all.length > 0 && all.every((r) => r.owner === "owner5"), "#owner-owner5 shows owner5's items");
    // A long incident id stays inside its column on a desktop.
    await page.setViewportSize({ width: 1280, height: 900 });
    const overlap = await page.$$eval("#hs-actions tbody tr", (trs) => trs.some((tr) => {
      const cell = tr.querySelector("td:nth-child(2)");
      const due = tr.querySelector("td:nth-child(4)");
      const id = cell && cell.querySelector(".id");
      return id && id.getBoundingClientRect().right > due.getBoundingClientRect().left + 1;
    }));
    assert(!overlap, "an incident id runs into the due date");
    assert(log.errors.length === 0, log.errors.join("\n"));
  });

  await check("full-text search finds words anywhere, from file://", async () => {
    // From any page: the masthead search box leads to the search page.
    await page.goto(file(searchSite, "runbooks/edge-rollback/index.html"));
    await page.fill("#hs-site-q", "quartermaster");
    await Promise.all([page.waitForNavigation(), page.press("#hs-site-q", "Enter")]);
    assert(page.url().includes("search/index.html?q=quartermaster"), page.url());
    await page.waitForSelector("#hs-results li");
    let results = await page.$$eval("#hs-results li", (l) => l.map((x) => ({
      href: x.querySelector("a").getAttribute("href"),
      snippet: x.querySelector(".snippet").textContent,
      marks: [...x.querySelectorAll("mark")].map((m) => m.textContent),
    })));
    assert(results.length === 1, `one document has "quartermaster" (a timeline entry): ${JSON.stringify(results)}`);
    assert(results[0].href.endsWith("incidents/CLOUDFLARE-2024-06-30/index.html"), results[0].href);
    assert(results[0].snippet.startsWith("Timeline"), `the snippet comes from the timeline: ${results[0].snippet}`);
    assert(results[0].marks.includes("quartermaster"), "the word is highlighted");
    // A word only in a body, typed into the page's own box.
    await page.fill("#hs-search-q", "marmalade");
    await page.waitForFunction(() => document.querySelector("#hs-results li a")?.getAttribute("href").includes("INC-2024-002"));
    results = await page.$$eval("#hs-results li", (l) => l.map((x) => x.querySelector(".snippet").textContent));
    assert(results.length === 1 && results[0].startsWith("Postmortem"), `"marmalade" is in one body: ${results}`);
    // Prefixes, several words, ranking: the title match comes first.
    await page.fill("#hs-search-q", "edge roll");
    await page.waitForFunction(() => document.querySelectorAll("#hs-results li").length === 2);
    const first = await page.$eval("#hs-results li a", (a) => a.getAttribute("href"));
    assert(first.includes("runbooks/edge-rollback"), `the runbook titled "Roll back an edge ..." ranks first: ${first}`);
    await page.fill("#hs-search-q", "zzzz nothing");
    await page.waitForFunction(() => document.getElementById("hs-search-status").textContent.startsWith("Nothing matches"));
    // Only the shards a query needs were loaded.
    const loaded = await page.$$eval("script[src*='search/t-']", (s) => s.length);
    assert(loaded > 0 && loaded < 12, `loaded ${loaded} shards`);
    assert(log.errors.length === 0, log.errors.join("\n"));
  });

  await check("axe-core finds no serious or critical violation, light and dark", async () => {
    const kinds = [
      [examples, "index.html"],
      [examples, "incidents/INC-2026-002/index.html"],
      [examples, "incidents/NM-2026-001/index.html"],
      [examples, "factors/index.html"],
      [examples, "factors/capacity-unplanned/index.html"],
      [examples, "actions/index.html"],
      [examples, "runbooks/index.html"],
      [examples, "runbooks/postgres-failover/index.html"],
      [examples, "reviews/index.html"],
      [examples, "reviews/2026-Q1/index.html"],
      [examples, "reviews/2026-03/index.html"],
      [examples, "reviews/2026-10/index.html"],
      [examples, "drills/index.html"],
      [examples, "drills/DRILL-2026-002/index.html"],
      [examples, "drills/DRILL-2026-003/index.html"],
      [examples, "404.html"],
      [examples, "report-2026-Q1.html"],
      [searchSite, "search/index.html?q=edge"],
      [searchSite, "incidents/INC-2024-002/index.html"],
    ];
    const found = [];
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [site, rel] of kinds) {
        await page.goto(file(site, rel.split("?")[0]) + (rel.includes("?") ? "?" + rel.split("?")[1] : ""));
        await page.waitForLoadState("load");
        if (rel.startsWith("search/")) await page.waitForSelector("#hs-results li");
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

  await check("review numbers: a strip chart with n = for each duration, named for screen readers", async () => {
    for (const rel of ["reviews/2026-Q1/index.html", "report-2026-Q1.html"]) {
      await page.goto(file(examples, rel));
      const strips = await page.$$eval("svg.strip", (list) => list.map((s) => ({
        role: s.getAttribute("role"),
        label: s.getAttribute("aria-label") || "",
        n: (s.querySelector("text.n") || {}).textContent || "",
      })));
      assert(strips.length === 4, `${rel}: ${strips.length} strip charts, expected 4`);
      for (const s of strips) {
        assert(s.role === "img" && s.label.includes("n = ") && s.n.startsWith("n = "), `${rel}: ${JSON.stringify(s)}`);
      }
    }
  });

  await check("the HTML report: each chart has the site's table of numbers, drawn by the site's chart rules, light and dark", async () => {
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(file(examples, "report-2026-Q1.html"));
      const figures = await page.$$eval(".charts figure", (list) => list.map((f) => {
        const details = f.querySelector(":scope > details.chart-data");
        const summary = details && details.querySelector(":scope > summary");
        const table = details && details.querySelector(":scope > table.compact");
        // A colour of the page's variables, as the browser computes it.
        const resolve = (name) => {
          const probe = document.createElement("span");
          probe.style.color = `var(${name})`;
          document.body.append(probe);
          const c = getComputedStyle(probe).color;
          probe.remove();
          return c;
        };
        const grid = f.querySelector("svg.chart .grid");
        return {
          caption: f.querySelector("figcaption").textContent,
          details: !!details,
          summary: summary ? summary.textContent.trim() : "",
          summaryColour: summary ? getComputedStyle(summary).color : "",
          rows: table ? table.querySelectorAll("tbody tr").length : 0,
          closed: details ? !details.open && !table.checkVisibility() : false,
          muted: resolve("--muted"),
          grid: grid ? getComputedStyle(grid).stroke : null,
          border: resolve("--border"),
        };
      }));
      assert(figures.length === 5, `${scheme}: ${figures.length} chart figures, expected 5`);
      for (const f of figures) {
        assert(f.details && f.summary === "The numbers" && f.rows > 0 && f.closed, `${scheme}: ${JSON.stringify(f)}`);
        assert(f.summaryColour === f.muted, `${scheme} ${f.caption}: summary ${f.summaryColour}, --muted ${f.muted}`);
        assert(f.grid === null || f.grid === f.border, `${scheme} ${f.caption}: grid ${f.grid}, --border ${f.border}`);
      }
      // Every series has its colour (none is left to the default black).
      const black = await page.$$eval(".charts svg.chart [class*='s-'], .charts svg.chart [class*='sev-']", (list) =>
        list.filter((e) => getComputedStyle(e).fill === "rgb(0, 0, 0)").map((e) => e.getAttribute("class")));
      assert(black.length === 0, `${scheme}: black series ${[...new Set(black)].join(", ")}`);
      // Opened, the table shows its numbers.
      await page.click(".charts figure details.chart-data summary");
      const shown = await page.$eval(".charts figure details.chart-data table", (t) => t.checkVisibility() && t.getBoundingClientRect().height > 0);
      assert(shown, `${scheme}: the opened table shows`);
    }
    await page.emulateMedia({ colorScheme: "light" });
  });

  await check("phones at 390 px: stacked rows, nothing wider than its column, no sideways scrolling", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [site, rel] of [[many, "index.html"], [many, "actions/index.html"], [examples, "actions/index.html"], [examples, "runbooks/index.html"], [examples, "index.html"], [examples, "incidents/INC-2026-002/index.html"], [examples, "incidents/INC-2025-003/index.html"], [examples, "reviews/2026-Q1/index.html"], [examples, "reviews/2026-03/index.html"]]) {
      await page.goto(file(site, rel));
      await page.waitForLoadState("load");
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      assert(wide <= 390, `${rel} is ${wide} px wide at 390 px`);
      const over = await page.evaluate(tooWide);
      assert(over.length === 0, `${rel} at 390 px:\n${[...new Set(over)].slice(0, 12).join("\n")}`);
      const stacked = await page.$$eval("table.stack", (ts) => ts.every((t) => getComputedStyle(t.querySelector("tbody tr")).display !== "table-row"));
      assert(stacked, `${rel}: tables are stacked rows`);
      // Each field of a stacked row is labelled with its column's header
      // (the title cell is the row's heading).
      const unlabelled = await page.$$eval("table.stack", (ts) => ts.flatMap((t) => {
        const heads = [...t.querySelectorAll("thead th")].map((th) => th.textContent.trim().toLowerCase());
        const cells = [...t.querySelectorAll("tbody tr:first-child td")];
        const title = t.classList.contains("items") ? 0 : t.classList.contains("incidents") ? 1 : -1;
        return cells.flatMap((td, n) => {
          // Other tables label their cells with data-label.
          if (n === title || title === -1) return [];
          const label = getComputedStyle(td, "::before").content.replace(/^"|"$/g, "").toLowerCase();
          return label === heads[n] ? [] : [`${t.className} column ${n + 1}: "${label}" for "${heads[n]}"`];
        });
      }));
      assert(unlabelled.length === 0, `${rel}: ${unlabelled.join("; ")}`);
    }
    // Every field of a runbook row shows, the review state among them.
    await page.goto(file(examples, "runbooks/index.html"));
    const state = await page.$eval('table.runbooks tbody tr td[data-label="Review state"]', (td) => {
      const r = td.getBoundingClientRect();
      return r.width > 0 && r.right <= 390 && getComputedStyle(td).visibility === "visible";
    });
    assert(state, "the review state is on screen");
    // Chart labels stay legible.
    await page.goto(file(examples, "reviews/2026-Q1/index.html"));
    const small = await page.$$eval("svg.chart text", (ts) => ts.map((t) => t.getBoundingClientRect().height).filter((h) => h > 0 && h < 11).length);
    assert(small === 0, `${small} chart labels are under 11 px`);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  await check("phones at 390 px: a response-target table scrolls in its card, with a shadow where it goes on", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: "light" });
    await page.goto(file(examples, "reviews/2026-03/index.html"));
    const boxes = await page.$$eval("#hs-targets .scroll-x", (list) => list.map((b) => ({
      tabindex: b.getAttribute("tabindex"),
      role: b.getAttribute("role"),
      label: b.getAttribute("aria-label") || "",
      scrolls: b.scrollWidth > b.clientWidth + 1,
      inCard: b.getBoundingClientRect().right <= b.closest(".card").getBoundingClientRect().right,
    })));
    assert(boxes.length === 3, `three target tables, saw ${boxes.length}`);
    for (const b of boxes) {
      assert(b.tabindex === "0" && b.role === "region" && b.label.includes("by severity"), `focusable and named: ${JSON.stringify(b)}`);
      assert(b.scrolls && b.inCard, `the table scrolls inside its card: ${JSON.stringify(b)}`);
    }
    const box = page.locator("#hs-targets .scroll-x").first();
    // The cue, in pixels: with the table hidden (its room kept), the edge
    // the table goes on past is darker than the middle, the other is not;
    // scrolled to the end, the other way round.
    await box.evaluate((b) => { b.scrollLeft = 0; b.querySelector("table").style.visibility = "hidden"; });
    const at = async () => page.evaluate(edgeBrightness, { png: (await box.screenshot()).toString("base64"), band: 4 });
    const start = await at();
    await box.evaluate((b) => { b.scrollLeft = b.scrollWidth; });
    const end = await at();
    assert(start.right < start.middle - 8 && Math.abs(start.left - start.middle) < 3, `at the start: ${JSON.stringify(start)}`);
    assert(end.left < end.middle - 8 && Math.abs(end.right - end.middle) < 3, `at the end: ${JSON.stringify(end)}`);
    // The keyboard scrolls it.
    await box.evaluate((b) => { b.scrollLeft = 0; b.querySelector("table").style.visibility = ""; });
    await box.focus();
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction(() => document.querySelector("#hs-targets .scroll-x").scrollLeft > 0);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  await check("desktops: the header is one row with a 30-character title", async () => {
    for (const width of [900, 1024, 1280, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(file(examples, "actions/index.html"));
      const parts = await page.$$eval(".masthead-inner > *", (els) => els.map((e) => {
        const r = e.getBoundingClientRect();
        return { name: e.className, top: r.top, bottom: r.bottom, right: r.right };
      }));
      const title = await page.textContent(".brand span");
      assert(title.length === 30, `the example's title has 30 characters: "${title}"`);
      const row = Math.min(...parts.map((p) => p.bottom)) > Math.max(...parts.map((p) => p.top));
      assert(parts.length === 3 && row, `${width} px: ${JSON.stringify(parts)}`);
      const inner = await page.$eval(".masthead-inner", (e) => e.getBoundingClientRect().right);
      assert(parts.every((p) => p.right <= inner + 0.5), `${width} px: the header overflows: ${JSON.stringify(parts)}`);
      const search = await page.$eval("#hs-site-q", (e) => e.getBoundingClientRect().width);
      assert(search >= 72, `${width} px: the search box is ${search} px wide`);
      if (width >= 1024) {
        const [height, font] = await page.$eval(".brand span", (e) => [e.getBoundingClientRect().height, parseFloat(getComputedStyle(e).fontSize)]);
        assert(height < 2 * font, `${width} px: the title breaks onto a second line (${height} px high)`);
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  await check("a quarterly review prints whole", async () => {
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.goto(file(examples, "reviews/2026-Q1/index.html"));
    await page.emulateMedia({ media: "print" });
    const problems = await page.evaluate(() => {
      const out = [];
      const width = document.documentElement.clientWidth;
      for (const d of document.querySelectorAll("details")) {
        for (const el of d.children) {
          if (el.tagName !== "SUMMARY" && el.getBoundingClientRect().height === 0) out.push("a collapsed section stays hidden");
        }
      }
      for (const el of document.querySelectorAll("main *")) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > width + 1) out.push(`${el.tagName}.${el.className} reaches ${Math.round(r.right)} of ${width}`);
      }
      const title = document.querySelector(".print-title");
      if (!title || getComputedStyle(title).display === "none") out.push("no team title on the printout");
      return [...new Set(out)].slice(0, 10);
    });
    // Back to no emulation: page.pdf() then prints with print styles.
    await page.emulateMedia({ media: null });
    assert(problems.length === 0, problems.join("\n"));
    await page.setViewportSize({ width: 1280, height: 900 });
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
    assert(pages >= 2, `the review prints on ${pages} pages`);
    try {
      const path = join(profile, "quarter.pdf");
      writeFileSync(path, pdf);
      const text = execFileSync("pdftotext", ["-layout", path, "-"], { encoding: "utf8" });
      const sheets = text.split("\f").filter((t, i, all) => i < all.length - 1 || t.trim());
      assert(sheets[0].includes("Acme Platform incident reviews"), "the team's title is on the first page");
      const thin = sheets.filter((t) => t.trim().split("\n").filter((l) => l.trim()).length < 3);
      assert(thin.length === 0, `pages with almost nothing on them: ${JSON.stringify(thin)}`);
    } catch (e) {
      if (e.code !== "ENOENT") throw e;
      console.log("  (pdftotext not installed: page contents not checked)");
    }
  });

  await check("hostile documents run nothing", async () => {
    await page.addInitScript(() => {
      window.__ran = [];
      for (const name of ["alert", "confirm", "prompt"]) {
        window[name] = (m) => window.__ran.push(`${name}: ${m}`);
      }
    });
    for (const rel of ["index.html", "incidents/INC-666/index.html", "runbooks/restart/index.html", "reviews/2026-Q2/index.html", "reviews/2026-05/index.html", "actions/index.html"]) {
      await page.goto(pathToFileURL(join(hostile, rel)).href);
      // Hover and click everything a reader might.
      for (const el of await page.$$("main a, main img, main b, main div, main span")) {
        await el.hover({ force: true, timeout: 1000 }).catch(() => {});
      }
      const hrefs = await page.$$eval("a[href]", (links) => links.map((a) => a.getAttribute("href")));
      const bad = hrefs.filter((h) => /^\s*javascript:/i.test(h));
      assert(bad.length === 0, `${rel}: javascript: links ${bad}`);
      for (const link of await page.$$("main a:not([href])")) {
        await link.click({ force: true, timeout: 1000 }).catch(() => {});
      }
      if (!page.url().startsWith(pathToFileURL(join(hostile, rel)).href)) {
        await page.goto(pathToFileURL(join(hostile, rel)).href);
      }
      const ran = await page.evaluate(() => window.__ran);
      assert(ran.length === 0, `${rel}: ran ${ran}`);
      const scripts = await page.$$eval("script", (s) => s.map((x) => x.getAttribute("src")));
      assert(scripts.every((s) => s && s.startsWith("assets/")) || scripts.length === 0 || rel !== "index.html",
        `${rel}: inline script present`);
      const inline = await page.$$eval("main script, main iframe, main form:not(#hs-filters), main style", (s) => s.length);
      assert(inline === 0, `${rel}: ${inline} script, iframe, form or style elements in the content`);
    }
    assert(log.dialogs.length === 0, `dialogs: ${log.dialogs.join("; ")}`);
    assert(log.outside.length === 0, `requests outside the site: ${log.outside.join(", ")}`);
  });

  await check(`every internal link resolves under ${SUB_PATH} over HTTP`, async () => {
    log.errors.length = 0;
    const server = await serve(examples);
    const origin = `http://127.0.0.1:${server.address().port}`;
    const start = `${origin}${SUB_PATH}index.html`;
    const seen = new Set();
    const queue = [start];
    const anchors = []; // [page, fragment, from]
    const ids = new Map();
    let pages = 0;
    try {
      while (queue.length) {
        const url = queue.shift();
        if (seen.has(url)) continue;
        seen.add(url);
        const response = await page.goto(url);
        assert(response && response.status() === 200, `${url}: HTTP ${response && response.status()}`);
        if (!(response.headers()["content-type"] || "").startsWith("text/html")) continue;
        pages++;
        ids.set(url, new Set(await page.$$eval("[id]", (els) => els.map((e) => e.id))));
        const refs = await page.$$eval("a[href], link[href], script[src], img[src]", (els) =>
          els.map((e) => (e.href !== undefined && typeof e.href === "string" ? e.href : e.src) || e.src));
        for (const ref of refs) {
          const target = new URL(ref);
          if (target.origin !== origin) continue;
          assert(target.pathname.startsWith(SUB_PATH), `${url} links outside the sub-path: ${ref}`);
          const hash = target.hash.slice(1);
          target.hash = "";
          if (hash) anchors.push([target.href, decodeURIComponent(hash), url]);
          if (!seen.has(target.href)) queue.push(target.href);
        }
      }
    } finally {
      server.close();
    }
    assert(pages >= 30, `crawled only ${pages} pages`);
    for (const [target, id, from] of anchors) {
      const known = ids.get(target);
      if (known) assert(known.has(id), `${from} links to #${id}, which ${target} does not have`);
    }
    assert(log.errors.length === 0, log.errors.join("\n"));
    assert(log.outside.length === 0, `requests outside the site: ${log.outside.join(", ")}`);
    console.log(`  crawled ${pages} pages, ${seen.size} addresses, ${anchors.length} anchors`);
  });
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}

finish();
