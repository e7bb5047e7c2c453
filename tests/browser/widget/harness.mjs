// A minimal harness for the widget and quote-page browser tests: the order server over dist/ (or
// $DIST_DIR), built by `trunk build` and scripts/build-widget.sh (../server.mjs, shared with the
// checkout's tests), and the system Chromium through this suite's playwright-core. It never
// downloads a browser.
import { after, before } from "node:test";
import { chromium } from "playwright-core";
import { chromiumFlags, chromiumPath, screenshotDir, startServer as startOrderServer } from "../server.mjs";

/**
 * Starts the order server over dist/; returns { origin, stop }. `demo` seeds the demo accounts
 * (giulia.rossi@example.com / demo-billing-2026 is a billing contact).
 */
export async function startServer({ clock = "2026-11-22", demo = false } = {}) {
  const server = await startOrderServer({
    clock,
    demo,
    requires: [["widget/widget_bg.wasm", "trunk build, then scripts/build-widget.sh"]],
  });
  return { origin: server.base, stop: server.stop };
}

/** Launches the system Chromium (CHROMIUM_PATH, default /usr/bin/chromium), headless. */
export function launchBrowser() {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags });
}

/**
 * One order server (started with `options`, see `startServer`) and one browser for a test file or
 * a `describe` block: started before its first test, stopped after its last. The returned
 * object's `server` and `browser` are set once `before` has run.
 */
export function useServerAndBrowser(options) {
  const fixture = { server: undefined, browser: undefined };
  before(async () => {
    fixture.server = await startServer(options);
    fixture.browser = await launchBrowser();
  });
  after(async () => {
    await fixture.browser?.close();
    await fixture.server?.stop();
  });
  return fixture;
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

export const SCREENSHOTS = screenshotDir;

/**
 * Waits until the WebAssembly has taken over the widgets the page painted at build time (the demo
 * marketing page, issue 16), so that a test driving the live widget never acts on the painted
 * markup: the widgets of `products`, by default every one on the page.
 */
export async function waitForTakeover(page, products) {
  // The pointer reaching a painted widget is the first interaction that starts the WebAssembly
  // (public/widget/pricing.js); a test that drives the live widget starts it as a visitor would.
  const first = products ? `[data-checkout-pricing][data-product="${products[0]}"]` : "[data-checkout-pricing]";
  await page.locator(first).first().hover();
  return page.waitForFunction(
    (products) =>
      [...document.querySelectorAll("[data-checkout-pricing]")]
        .filter((host) => !products || products.includes(host.dataset.product))
        .every((host) => !host.shadowRoot?.querySelector("[data-cp-painted]")),
    products,
  );
}
