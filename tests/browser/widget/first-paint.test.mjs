// The pricing widget's first paint (issue 16): the demo marketing page carries the widgets'
// markup rendered at build time (scripts/build-widget.sh, widget-paint), so the prices, tier cards
// and links show without JavaScript; with it, the WebAssembly takes the painted markup over
// without moving anything and shows the same prices and links.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { useServerAndBrowser, watchErrors } from "./harness.mjs";

const squash = (text) => text.replace(/\s+/g, " ").trim();

// Every card of both widgets: tier, name, price, total and link addresses, with its box.
async function cards(page) {
  const found = [];
  for (const card of await page.locator("[data-checkout-pricing] .cp-card").all()) {
    const links = [];
    for (const link of await card.locator("a").all()) {
      links.push([squash(await link.textContent()), await link.getAttribute("href")]);
    }
    found.push({
      tier: await card.getAttribute("data-tier"),
      name: squash(await card.locator(".cp-card__name").textContent()),
      price: squash(await card.locator(".cp-card__price").textContent()),
      total: squash(await card.locator(".cp-card__total").textContent()),
      links,
      box: await card.boundingBox(),
    });
  }
  return found;
}

// Whether a host still shows the markup painted at build time (not yet the WebAssembly's).
const painted = (page, product) =>
  page.evaluate(
    (product) =>
      document
        .querySelector(`[data-product="${product}"]`)
        .shadowRoot?.querySelector("[data-cp-painted]") != null,
    product,
  );

// Holds the widget's WebAssembly back until the returned function is called, so that a test can
// act on the painted markup first.
async function holdWasm(page) {
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route("**/widget/widget_bg.wasm", async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

describe("pricing widget first paint", () => {
  const app = useServerAndBrowser();

  test("with JavaScript off the demo page shows prices, tier cards and working links", async () => {
    const context = await app.browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1200, height: 900 },
    });
    const page = await context.newPage();
    const scripts = [];
    page.on("request", (request) => {
      if (request.url().includes("/widget/")) scripts.push(request.url());
    });
    await page.goto(`${app.server.origin}/marketing/`);
    const found = await cards(page);
    assert.deepEqual(
      found.map(({ tier, price }) => [tier, price]),
      [
        ["professional", "144,00 € per licenza all'anno"],
        ["business", "192,00 € per licenza all'anno"],
        ["lite", "$648.00 per seat per year"],
        ["standard", "$1,308.00 per seat per year"],
        ["pro", "$2,628.00 per seat per year"],
      ],
    );
    const business = found[1];
    assert.equal(business.total, "Totale per 5 licenze: 960,00 € all'anno, IVA esclusa");
    assert.deepEqual(business.links, [
      ["Acquista", "/?op=buy&product=meeting&tier=business&seats=5&frequency=annual"],
      ["Prova gratis", "/?op=trial&product=meeting&tier=business"],
    ]);
    // Styled: the cards sit side by side, as the widget's style sheet lays them out.
    assert.equal(found[0].box.y, found[1].box.y);
    assert.ok(found[1].box.x > found[0].box.x + found[0].box.width);
    // Only the style sheet was fetched from the widget's folder: no script ran.
    assert.deepEqual(scripts, [`${app.server.origin}/widget/widget.css`]);
    // A real link: it opens the checkout with the selection.
    await page
      .locator('[data-product="webinar"] .cp-card[data-tier="standard"] .cp-button--buy')
      .click();
    await page.waitForURL(`${app.server.origin}/?op=buy&product=webinar&tier=standard&seats=5&frequency=annual`);
    await context.close();
  });

  test("a painted page nobody touches compiles the WebAssembly but runs none of it", async () => {
    const page = await app.browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors = watchErrors(page);
    const fetched = [];
    page.on("requestfinished", (request) => {
      if (request.url().includes("/widget/")) fetched.push(new URL(request.url()).pathname);
    });
    await page.goto(`${app.server.origin}/marketing/`);
    // The idle callback fetches the WebAssembly for the painted widgets near the viewport...
    await page.waitForFunction(() =>
      performance.getEntriesByType("resource").some((entry) => entry.name.endsWith("/widget/widget_bg.wasm")),
    );
    // ...and, with nobody at the page, instantiates none of it: the glue module is never
    // imported, and both widgets keep their painted markup for longer than the idle timeout
    // would have allowed the old loader.
    await page.waitForTimeout(1500);
    assert.equal(await painted(page, "meeting"), true);
    assert.equal(await painted(page, "webinar"), true);
    assert.equal(fetched.includes("/widget/widget.js"), false, `fetched: ${fetched}`);
    // The first interaction instantiates it: the widget under the pointer is taken over, and the
    // other one follows in idle time.
    await page.locator('[data-product="webinar"] .cp-card__name').first().hover();
    await page.waitForFunction(() =>
      [...document.querySelectorAll("[data-checkout-pricing]")].every(
        (host) => !host.shadowRoot.querySelector("[data-cp-painted]"),
      ),
    );
    assert.ok(fetched.includes("/widget/widget.js"));
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("the WebAssembly takes the painted markup over with the same prices and links, and nothing moves", async () => {
    const page = await app.browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors = watchErrors(page);
    await page.addInitScript(() => {
      globalThis.shifts = [];
      new PerformanceObserver((list) => {
        // As Cumulative Layout Shift counts them: not right after the visitor's own input.
        for (const entry of list.getEntries()) {
          if (!entry.hadRecentInput) globalThis.shifts.push(entry.value);
        }
      }).observe({ type: "layout-shift", buffered: true });
    });
    // The WebAssembly is held back until the painted markup has been read.
    const release = await holdWasm(page);
    await page.goto(`${app.server.origin}/marketing/`);
    assert.equal(await painted(page, "meeting"), true);
    assert.equal(await painted(page, "webinar"), true);
    const before = await cards(page);
    assert.equal(before.length, 5);
    release();
    // The pointer over a widget is a first interaction; the idle callback takes over the other.
    await page.locator('[data-product="meeting"] .cp-card__name').first().hover();
    await page.waitForFunction(() =>
      [...document.querySelectorAll("[data-checkout-pricing]")].every(
        (host) => host.shadowRoot.querySelector(".cp-root") && !host.shadowRoot.querySelector("[data-cp-painted]"),
      ),
    );
    const afterTakeover = await cards(page);
    assert.deepEqual(afterTakeover, before);
    assert.deepEqual(await page.evaluate(() => globalThis.shifts), []);
    // Live now: monthly billing changes the price and the link.
    const meeting = page.locator('[data-product="meeting"]');
    await meeting.getByLabel("Mensile").check();
    assert.equal(
      squash(await meeting.locator('.cp-card[data-tier="business"] .cp-card__amount').textContent()),
      "19,00 €",
    );
    assert.match(
      await meeting.locator('.cp-card[data-tier="business"] .cp-button--buy').getAttribute("href"),
      /frequency=monthly$/,
    );
    assert.deepEqual(await page.evaluate(() => globalThis.shifts), []);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("what the visitor did on the painted widget carries over: the choice and the focus", async () => {
    const page = await app.browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors = watchErrors(page);
    const release = await holdWasm(page);
    await page.goto(`${app.server.origin}/marketing/`);
    const meeting = page.locator('[data-product="meeting"]');
    // Monthly picked and 8 seats typed on the painted markup, the focus left in the seat field.
    await meeting.getByLabel("Mensile").check();
    await meeting.getByRole("spinbutton").fill("8");
    assert.equal(await painted(page, "meeting"), true);
    release();
    await page.waitForFunction(
      () => !document.querySelector('[data-product="meeting"]').shadowRoot.querySelector("[data-cp-painted]"),
    );
    assert.equal(await meeting.getByLabel("Mensile").isChecked(), true);
    assert.equal(await meeting.getByRole("spinbutton").getAttribute("aria-valuenow"), "8");
    assert.equal(
      squash(await meeting.locator('.cp-card[data-tier="business"] .cp-card__total').textContent()),
      "Totale per 8 licenze: 152,00 € al mese, IVA esclusa",
    );
    assert.equal(
      await page.evaluate(() => {
        const shadow = document.querySelector('[data-product="meeting"]').shadowRoot;
        return shadow.activeElement?.classList.contains("seat-stepper__input") && shadow.activeElement.isConnected;
      }),
      true,
    );
    // The next key goes to the live stepper.
    await page.keyboard.press("ArrowUp");
    assert.equal(await meeting.getByRole("spinbutton").getAttribute("aria-valuenow"), "9");
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("a seat count typed on the painted widget outside its range is not taken over (S43)", async () => {
    const page = await app.browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors = watchErrors(page);
    const release = await holdWasm(page);
    await page.goto(`${app.server.origin}/marketing/`);
    const meeting = page.locator('[data-product="meeting"]');
    await meeting.getByRole("spinbutton").fill("300");
    release();
    await page.waitForFunction(
      () => !document.querySelector('[data-product="meeting"]').shadowRoot.querySelector("[data-cp-painted]"),
    );
    assert.equal(await meeting.getByRole("spinbutton").getAttribute("aria-valuenow"), "5");
    assert.match(
      await meeting.locator('.cp-card[data-tier="business"] .cp-button--buy').getAttribute("href"),
      /seats=5&/,
    );
    assert.deepEqual(errors, []);
    await page.close();
  });
});
