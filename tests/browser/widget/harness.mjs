// A minimal harness for the widget and quote-page browser tests: starts the order server on a
// free port over dist/ (or $DIST_DIR) (built by `trunk build` and scripts/build-widget.sh) and launches the
// system Chromium through playwright-core. It never downloads a browser.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** The built site the server serves: dist/, or DIST_DIR. */
export const DIST_DIR = process.env.DIST_DIR || join(REPO_ROOT, "dist");

const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--disable-quic",
];

function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

function serverBinary() {
  const targetDir = process.env.CARGO_TARGET_DIR || join(REPO_ROOT, "target");
  const candidates = [
    process.env.CHECKOUT_SERVER_BIN,
    join(targetDir, "debug", "checkout-server"),
    join(targetDir, "release", "checkout-server"),
  ].filter(Boolean);
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(`checkout-server not built (looked at ${candidates.join(", ")})`);
  }
  return found;
}

/**
 * Starts the order server over dist/; returns { origin, stop }. `demo` seeds the demo accounts
 * (giulia.rossi@example.com / demo-billing-2026 is a billing contact).
 */
export async function startServer({ clock = "2026-11-22", demo = false } = {}) {
  if (!existsSync(join(DIST_DIR, "widget", "widget_bg.wasm"))) {
    throw new Error("dist/widget is not built: run trunk build, then scripts/build-widget.sh");
  }
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "widget-tests-"));
  const child = spawn(
    serverBinary(),
    [
      "--listen", `127.0.0.1:${port}`,
      "--database-url", join(dataDir, "checkout.db"),
      "--static-dir", DIST_DIR,
      "--clock", clock,
      ...(demo ? ["--demo"] : []),
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  child.stdout.on("data", (chunk) => (log += chunk));
  child.stderr.on("data", (chunk) => (log += chunk));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`checkout-server exited:\n${log}`);
    try {
      const response = await fetch(`${origin}/api/v1/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`checkout-server did not start:\n${log}`);
    await new Promise((wait) => setTimeout(wait, 100));
  }
  return {
    origin,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((done) => (child.exitCode !== null ? done() : child.once("exit", done)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Launches the system Chromium (CHROMIUM_PATH, default /usr/bin/chromium), headless. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_FLAGS,
  });
}

/** Collects the page's console errors and CSP violations, to assert there are none. */
export function watchErrors(page) {
  const errors = [];
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  return errors;
}

export const SCREENSHOTS = join(REPO_ROOT, "docs", "screenshots");
