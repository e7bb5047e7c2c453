// Test harness: starts the real order server on a free loopback port with a fixed clock, demo
// data and a fresh SQLite database, serving the Trunk build in dist/; launches Debian's Chromium
// (never a downloaded one) through playwright-core; runs axe-core in the page.
//
// It builds nothing: scripts/test.sh runs the trunk build and `cargo build -p checkout-server`
// first. CHECKOUT_SERVER_BIN and CHROMIUM_PATH override where the binaries are.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, "..", "..");
const targetDir = process.env.CARGO_TARGET_DIR
  ? resolve(repoRoot, process.env.CARGO_TARGET_DIR)
  : join(repoRoot, "target");
const serverBin = process.env.CHECKOUT_SERVER_BIN ?? join(targetDir, "debug", "checkout-server");
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const distDir = join(repoRoot, "dist");
export const screenshotDir = join(repoRoot, "docs", "screenshots");

/** The demo sign-ins the server prints with --demo. */
export const USERS = {
  giulia: { email: "giulia.rossi@example.com", password: "demo-billing-2026" },
  marco: { email: "marco.bianchi@example.com", password: "demo-user-2026" },
  corporate: { email: "ops@acme-corp.example", password: "demo-corp-2026" },
  expired: { email: "anna@studio-verdi.example", password: "demo-expired-2026" },
};

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Starts checkout-server; returns its base URL and a stop function. */
export async function startServer() {
  for (const [what, path] of [
    ["checkout-server (cargo build -p checkout-server)", serverBin],
    ["dist/index.html (trunk build --release)", join(distDir, "index.html")],
  ]) {
    if (!existsSync(path)) throw new Error(`missing ${what}: ${path}`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), "checkout-browser-"));
  const port = await freePort();
  const child = spawn(
    serverBin,
    [
      "--clock", "2026-11-16",
      "--demo",
      "--listen", `127.0.0.1:${port}`,
      "--database-url", join(dataDir, "checkout.db"),
      "--static-dir", distDir,
    ],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, RUST_LOG: "warn" } },
  );
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`checkout-server exited:\n${output}`);
    try {
      const res = await fetch(`${base}/api/v1/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`checkout-server did not answer /api/v1/health:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Launches headless Chromium with flags that keep it off the network except for the test. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
      "--disable-quic",
    ],
  });
}

/**
 * A new page (fresh storage) on the app, in the given color scheme and viewport; collects console
 * errors and CSP violations so a test can assert there were none.
 */
export async function openApp(browser, base, options = {}) {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 900 },
    colorScheme: options.colorScheme ?? "light",
    locale: "it-IT",
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

/** Saves a full-page screenshot under docs/screenshots/. */
export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}
