// Test harness of the checkout's browser tests: the real order server (server.mjs) with a fixed
// clock and the demo data, Debian's Chromium (never a downloaded one) through playwright-core,
// axe-core run in the page.
import { readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { after, before } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { chromiumFlags, chromiumPath, screenshotDir, startServer as startOrderServer } from "./server.mjs";

export { repoRoot, screenshotDir } from "./server.mjs";

/** The demo sign-ins the server prints with --demo. */
export const USERS = {
  giulia: { email: "giulia.rossi@example.com", password: "demo-billing-2026" },
  marco: { email: "marco.bianchi@example.com", password: "demo-user-2026" },
  corporate: { email: "ops@acme-corp.example", password: "demo-corp-2026" },
  expired: { email: "anna@studio-verdi.example", password: "demo-expired-2026" },
};

/** Starts checkout-server with the demo data on 2026-11-16; returns its base URL and a stop function. */
export function startServer() {
  return startOrderServer({
    clock: "2026-11-16",
    demo: true,
    requires: [["index.html", "trunk build --release"]],
  });
}

/** Launches headless Chromium with flags that keep it off the network except for the test. */
export function launchBrowser() {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags });
}

/**
 * One server and one browser for the whole test file: started before its first test, stopped
 * after its last. The returned object's `server` and `browser` are set once `before` has run;
 * `whenStarted(fixture)`, if given, runs right after them (a second root-level `before` hook
 * was seen to start before this one had finished, so it could not rely on the fixture).
 */
export function useServerAndBrowser(whenStarted = async () => {}) {
  const fixture = { server: undefined, browser: undefined };
  before(async () => {
    fixture.server = await startServer();
    fixture.browser = await launchBrowser();
    await whenStarted(fixture);
  });
  after(async () => {
    await fixture.browser?.close();
    await fixture.server?.stop();
  });
  return fixture;
}

/**
 * A new page (fresh storage) on the app, in the given color scheme, viewport and browser locale
 * (`it-IT` unless given); collects console errors and CSP violations so a test can assert there
 * were none.
 */
export async function openApp(browser, base, options = {}) {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 900 },
    colorScheme: options.colorScheme ?? "light",
    locale: options.locale ?? "it-IT",
    reducedMotion: "reduce",
  });
  const page = await context.newPage();
  page.errors = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") page.errors.push(msg.text());
  });
  page.on("pageerror", (err) => page.errors.push(String(err)));
  await page.goto(base + "/");
  await page.waitForSelector("#page-title");
  return page;
}

/** Signs in through the form. */
export async function signIn(page, user) {
  await page.fill("#email", user.email);
  await page.fill("#password", user.password);
  await page.click("button[type=submit]");
  await page.waitForSelector("#page-title:not(:has-text('Accedi'))");
}

/** A token for direct API calls (to compare with the app). */
export async function apiToken(base, user) {
  const res = await fetch(`${base}/api/v1/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(user),
  });
  return (await res.json()).token;
}

/** A JSON API call with the token. */
export async function api(base, token, method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body ? { "Content-Type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json() };
}

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/**
 * Runs axe-core (WCAG 2.x A and AA rules) on the page and returns its violations. The script is
 * added through Playwright's isolated evaluation, so the page's CSP does not block it.
 */
export async function axeViolations(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
    });
    return r.violations.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ") + " :: " + n.failureSummary).slice(0, 5),
    }));
  });
  return result;
}

/** Fails the test with axe-core's findings when the page has any. */
export async function assertNoViolations(page, where) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `axe-core on ${where}: ${JSON.stringify(violations, null, 2)}`);
}

/** Saves a full-page screenshot under docs/screenshots/. */
export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}
