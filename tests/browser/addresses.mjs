// Hostile addresses and queries on a site built from examples/, in
// Debian's headless Chromium, from file://:
//
//   node tests/browser/addresses.mjs EXAMPLES_SITE
//
// A filter address is typed or pasted by anyone: `#constructor=y` names
// no filter (and no inherited property), `#q=%` is not valid percent
// encoding, `#q=a=b` searches for `a=b`; the word "constructor" is a word
// like any other for the search. No page may stop its script on any of
// them.

import { chromium } from "playwright-core";
import { check, finish } from "./harness.mjs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const site = process.argv[2] && resolve(process.argv[2]);
if (!site) {
  console.error("usage: node addresses.mjs EXAMPLES_SITE");
  process.exit(2);
}
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const url = (rel) => pathToFileURL(join(site, rel)).href;

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

const profile = mkdtempSync(join(tmpdir(), "hindsight-addresses-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
context.setDefaultTimeout(15000);
const page = context.pages()[0] || (await context.newPage());
let errors = [];
page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));
page.on("console", (m) => {
  if (m.type() === "error") errors.push(`${page.url()}: console: ${m.text()}`);
});

/// Open `rel` with `hash` and give its script time to read the address.
async function open(rel, hash) {
  errors = [];
  await page.goto(url(rel) + hash);
  await page.waitForLoadState("load");
  await page.waitForTimeout(100);
}

const lists = [
  ["index.html", "#hs-q"],
  ["actions/index.html", "#hs-q"],
  ["drills/index.html", "#hs-drill-q"],
];

try {
  await check("an inherited name in the address is no filter", async () => {
    for (const [rel, q] of lists) {
      for (const hash of ["#constructor=y", "#__proto__=y&q=db", "#toString=1&hasOwnProperty=2"]) {
        await open(rel, hash);
        assert(errors.length === 0, `${rel}${hash}: ${errors.join("\n")}`);
        assert(await page.isVisible(q), `${rel}${hash}: the filters show`);
      }
    }
  });

  await check("a malformed percent sign is read as written", async () => {
    for (const [rel, q] of lists) {
      await open(rel, "#q=%");
      assert(errors.length === 0, `${rel}: ${errors.join("\n")}`);
      const value = await page.inputValue(q);
      assert(value === "%", `${rel}: the query is ${JSON.stringify(value)}`);
    }
  });

  await check("a value keeps every `=` after the first", async () => {
    for (const [rel, q] of lists) {
      await open(rel, "#q=a=b");
      assert(errors.length === 0, `${rel}: ${errors.join("\n")}`);
      const value = await page.inputValue(q);
      assert(value === "a=b", `${rel}: the query is ${JSON.stringify(value)}`);
    }
  });

  await check("constructor is a word the search looks for", async () => {
    await open("search/index.html", "");
    for (const word of ["constructor", "__proto__ constructor", "tostring"]) {
      await page.evaluate((w) => window.hsSearch.run(w), word);
      const status = await page.textContent("#hs-search-status");
      assert(!status.includes("two letters or more"), `${word}: ${status}`);
      assert(status.includes("constructor") || status.includes("tostring"), `${word}: ${status}`);
    }
    assert(errors.length === 0, errors.join("\n"));
  });
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
finish();
