// End-to-end test of a site built by `hindsight build`, in Debian's
// headless Chromium (never a downloaded browser).
//
//   node tests/browser/e2e.mjs EXAMPLES_SITE HOSTILE_SITE
//
// EXAMPLES_SITE: the examples/ repository built; HOSTILE_SITE: the
// tests/fixtures/site-hostile repository built. Checks, from file://, that
// the index filters and search work and that pages log no errors; that the
// hostile documents ran nothing; and, over HTTP under a sub-path on
// 127.0.0.1, that every internal link of every page resolves and that no
// page asks for anything outside the site.

import { chromium } from "playwright-core";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";

const [examples, hostile] = process.argv.slice(2).map((p) => p && resolve(p));
if (!examples || !hostile) {
  console.error("usage: node e2e.mjs EXAMPLES_SITE HOSTILE_SITE");
  process.exit(2);
}
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SUB_PATH = "/teams/platform/incidents/";

let passed = 0;
let failed = 0;
async function check(name, body) {
  try {
    await body();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}\n  ${String(e && e.stack ? e.stack : e).split("\n").join("\n  ")}`);
  }
}
function assert(cond, message) {
  if (!cond) throw new Error(message);
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
    assert(all === 9, `expected 9 incidents, saw ${all}`);

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

  await check("an incident page opens from the index without errors", async () => {
    await page.goto(pathToFileURL(join(examples, "index.html")).href);
    await page.click("#hs-incidents tbody tr:first-child .incident-title");
    await page.waitForLoadState("load");
    assert(/incidents\/[^/]+\/index\.html$/.test(page.url()), `landed on ${page.url()}`);
    assert((await page.$$("h1")).length === 1, "one title");
    assert((await page.$$(".stats .stat")).length === 6, "six stats");
    await page.goto(pathToFileURL(join(examples, "incidents/INC-2026-002/index.html")).href);
    assert((await page.$$("ol.whys li")).length === 5, "five whys");
    assert((await page.$$("table.items tbody tr")).length === 5, "five action items");
    const css = await page.$eval("body", (b) => getComputedStyle(b).fontFamily);
    assert(css.includes("system-ui"), "the stylesheet is applied");
    assert(log.errors.length === 0, log.errors.join("\n"));
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

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
