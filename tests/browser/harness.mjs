// What each browser test shares: Debian's headless Chromium (never a
// downloaded browser) in a throwaway profile, every request outside
// file:// refused and recorded, the page's errors collected, and
// TAP-like `check` and `assert` with a count at the end.

import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

let passed = 0;
let failed = 0;

/** Run one named check; a thrown error fails it and the run goes on. */
export async function check(name, body) {
  try {
    await body();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}\n  ${String(e && e.stack ? e.stack : e).split("\n").join("\n  ")}`);
  }
}

export function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/**
 * A browser for one test file: `{context, page, errors, outside, close}`.
 * `errors` collects console errors and uncaught exceptions with the page
 * they came from; `outside` every request that left file://.
 */
export async function open(name) {
  const profile = mkdtempSync(join(tmpdir(), `hindsight-${name}-`));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  context.setDefaultTimeout(15000);
  const errors = [];
  const outside = [];
  await context.route("**/*", (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === "file:") return route.continue();
    outside.push(route.request().url());
    return route.abort();
  });
  const page = context.pages()[0] || (await context.newPage());
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`${page.url()}: console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, errors, outside, close };
}

/** Print the count and exit 1 when a check failed. */
export function finish() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
