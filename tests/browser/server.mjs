// What both browser test suites (the checkout's here, the widget's and quote page's in widget/)
// share: the real order server started on a free loopback port over the built dist/, with a
// fresh SQLite database, and the flags Debian's Chromium is launched with. It imports nothing
// from npm, so each suite keeps its own playwright-core.
//
// It builds nothing: scripts/test.sh runs the trunk build and `cargo build -p checkout-server`
// first. CHECKOUT_SERVER_BIN, CARGO_TARGET_DIR, DIST_DIR and CHROMIUM_PATH override where things are.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root folder. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The built site the server serves: dist/, or DIST_DIR. */
export const distDir = process.env.DIST_DIR ? resolve(process.env.DIST_DIR) : join(repoRoot, "dist");

/** Where the screenshots of the main pages go (docs/screenshots/). */
export const screenshotDir = join(repoRoot, "docs", "screenshots");

/** Debian's Chromium; a test never lets a tool download a browser of its own. */
export const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** Headless Chromium kept off the network except for the test's own server. */
export const chromiumFlags = [
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
    probe.unref();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

function serverBinary() {
  const targetDir = process.env.CARGO_TARGET_DIR
    ? resolve(repoRoot, process.env.CARGO_TARGET_DIR)
    : join(repoRoot, "target");
  const candidates = [
    process.env.CHECKOUT_SERVER_BIN,
    join(targetDir, "debug", "checkout-server"),
  ].filter(Boolean);
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(`checkout-server is not built (cargo build -p checkout-server); looked at ${candidates.join(", ")}`);
  }
  return found;
}

/**
 * Starts checkout-server over dist/ with a fixed clock, optionally with the demo data, and waits
 * for /api/v1/health. `requires` names built files (relative to dist/) the suite needs, so a
 * missing build says what to run. `dataDir`, if given, is a folder of the caller's whose
 * database is used again (a restart with a later clock: the renewal worker then finds what
 * became due, and runs at start); it is left for the caller to remove. Returns `{ base, stop }`.
 */
export async function startServer({ clock, demo = false, requires = [], dataDir: keptDir }) {
  for (const [file, how] of requires) {
    if (!existsSync(join(distDir, file))) throw new Error(`missing dist/${file}: run ${how}`);
  }
  const port = await freePort();
  const dataDir = keptDir ?? mkdtempSync(join(tmpdir(), "checkout-browser-"));
  const child = spawn(
    serverBinary(),
    [
      "--clock", clock,
      // The test payment provider is refused without --demo; the browser tests use it on purpose.
      ...(demo ? ["--demo"] : ["--test-payments"]),
      "--listen", `127.0.0.1:${port}`,
      "--database-url", join(dataDir, "checkout.db"),
      "--static-dir", distDir,
    ],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, RUST_LOG: "warn" } },
  );
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`checkout-server exited:\n${output}`);
    try {
      const response = await fetch(`${base}/api/v1/health`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`checkout-server did not answer /api/v1/health:\n${output}`);
    }
    await new Promise((wait) => setTimeout(wait, 100));
  }
  return {
    base,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once("exit", done));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(timer);
      }
      if (!keptDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
