// `hindsight serve` in Debian's headless Chromium: the open page follows
// the repository without a manual reload.
//
//   node tests/browser/serve.mjs PAGE_URL POSTMORTEM_FILE
//
// PAGE_URL: a served incident page; POSTMORTEM_FILE: its file on disk (in
// a scratch copy of a repository). Edits the title on disk and expects the
// page to show it within a second; breaks the front matter and expects the
// lint error over the page; repairs it and expects the overlay to go.

import { chromium } from "playwright-core";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [url, file] = process.argv.slice(2);
if (!url || !file) {
  console.error("usage: node serve.mjs PAGE_URL POSTMORTEM_FILE");
  process.exit(2);
}
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

let passed = 0;
let failed = 0;
async function check(name, body) {
  try {
    const note = await body();
    passed++;
    console.log(`ok - ${name}${note ? ` (${note})` : ""}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}\n  ${String(e && e.stack ? e.stack : e).split("\n").join("\n  ")}`);
  }
}

const profile = mkdtempSync(join(tmpdir(), "hindsight-serve-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const errors = [];
try {
  const page = await context.newPage();
  page.on("pageerror", (e) => errors.push(e.message));
  const original = readFileSync(file, "utf8");
  await page.goto(url);
  const heading = async () => (await page.locator("h1").first().textContent()).trim();

  await check("the page shows the postmortem's title", async () => {
    const title = original.match(/^title: (.*)$/m)[1];
    const h1 = await heading();
    if (!h1.includes(title)) throw new Error(`h1 is "${h1}", expected "${title}"`);
  });

  await check("a title edited on disk shows within a second, without a reload by hand", async () => {
    // The page listens for changes once its script has run.
    await page.waitForSelector("html[data-hindsight-live]", { timeout: 10000 });
    // Three edits, each awaited (up to 5 s) until the page shows it; the
    // best must take under a second. One try alone measures the shared
    // machine's load as much as the server.
    const times = [];
    for (const n of [1, 2, 3]) {
      const title = `Renamed while the page was open (${n})`;
      const start = Date.now();
      writeFileSync(file, original.replace(/^title: .*$/m, `title: ${title}`));
      await page.waitForFunction(
        (t) => document.querySelector("h1")?.textContent.includes(t) &&
               document.documentElement.hasAttribute("data-hindsight-live"),
        title, { timeout: 5000, polling: 10 });
      times.push(Date.now() - start);
    }
    if (Math.min(...times) > 1000) throw new Error(`took ${times.join(", ")} ms`);
    return `${times.join(", ")} ms`;
  });

  await check("broken front matter shows the lint error over the page", async () => {
    writeFileSync(file, original.replace(/^title: .*$/m, "title: [unclosed"));
    const overlay = page.locator("#hindsight-overlay");
    await overlay.waitFor({ state: "visible", timeout: 2000 });
    const text = await overlay.textContent();
    if (!/error\[yaml\]/.test(text)) throw new Error(`overlay says: ${text}`);
    if (!text.includes(file.split("/").slice(-3).join("/"))) throw new Error(`overlay names no file: ${text}`);
    // The last readable version stays on the page under the overlay.
    const h1 = await heading();
    if (!h1.includes("Renamed while the page was open (3)")) throw new Error(`h1 is now "${h1}"`);
  });

  await check("repairing it takes the overlay away", async () => {
    writeFileSync(file, original);
    await page.locator("#hindsight-overlay").waitFor({ state: "detached", timeout: 2000 });
    const title = original.match(/^title: (.*)$/m)[1];
    await page.waitForFunction((t) => document.querySelector("h1")?.textContent.includes(t), title, { timeout: 2000 });
  });

  await check("the index follows too, its filters working after the update", async () => {
    await page.goto(new URL("../../", url).href);
    await page.waitForSelector("html[data-hindsight-live]", { timeout: 10000 });
    writeFileSync(file, original.replace(/^title: .*$/m, "title: Seen from the index"));
    await page.waitForFunction(
      () => document.body.textContent.includes("Seen from the index") &&
            document.documentElement.hasAttribute("data-hindsight-live"),
      null, { timeout: 5000, polling: 10 });
    // app.js ran again on the new body: it shows the filter form.
    await page.waitForFunction(() => document.getElementById("hs-filters")?.hidden === false, null, { timeout: 5000 });
    writeFileSync(file, original);
  });

  await check("no script errors", async () => {
    if (errors.length) throw new Error(errors.join("\n"));
  });
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
