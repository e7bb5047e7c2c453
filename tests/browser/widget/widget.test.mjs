// The pricing widget in real Chromium: on a foreign page whose global CSS is hostile it still
// renders its cards and prices, and its buttons carry the selection into the checkout link.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { SCREENSHOTS, useServerAndBrowser, waitForTakeover, watchErrors } from "./harness.mjs";

const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
  "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'";

// A page that is not ours: a global reset that unsets everything and forces huge red text.
const HOSTILE_CSS = `
* { all: unset; font-size: 40px !important; color: red !important; line-height: 3 !important; }
div, section, article, ul, li, p, h2, h3 { display: inline !important; }
a, button, input { visibility: hidden !important; }
:root { --cp-accent: #006d4e; }
`;

const HOSTILE_PAGE = `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Fremde Seite</title>
<link rel="stylesheet" href="/hostile.css">
<script type="module" src="/widget/pricing.js"></script></head>
<body><h1>Ein fremder Shop</h1>
<div id="meeting" data-checkout-pricing data-product="meeting" data-currency="EUR" data-lang="it"
     data-checkout-url="/checkout/?ref=partner#start"></div>
<div id="webinar" data-checkout-pricing data-product="webinar" data-currency="USD" data-lang="en"
     data-checkout-url="/"></div>
</body></html>`;

const squash = (text) => text.replace(/\s+/g, " ").trim();

describe("pricing widget", () => {
  const app = useServerAndBrowser();

  async function hostilePage() {
    const page = await app.browser.newPage({ viewport: { width: 1200, height: 1000 } });
    const errors = watchErrors(page);
    await page.route(`${app.server.origin}/hostile.html`, (route) =>
      route.fulfill({
        contentType: "text/html",
        headers: { "content-security-policy": CSP },
        body: HOSTILE_PAGE,
      }),
    );
    await page.route(`${app.server.origin}/hostile.css`, (route) =>
      route.fulfill({ contentType: "text/css", body: HOSTILE_CSS }),
    );
    await page.goto(`${app.server.origin}/hostile.html`);
    await page.locator("#meeting .cp-card").first().waitFor();
    await page.locator("#webinar .cp-card").first().waitFor();
    return { page, errors };
  }

  test("renders its cards and prices under hostile global CSS", async () => {
    const { page, errors } = await hostilePage();
    const cards = await page.evaluate(() =>
      [...document.querySelectorAll("[data-checkout-pricing]")].map((host) =>
        [...host.shadowRoot.querySelectorAll(".cp-card")].map((card) => {
          const box = card.getBoundingClientRect();
          const amount = card.querySelector(".cp-card__amount");
          const buy = card.querySelector(".cp-button--buy");
          const style = getComputedStyle(amount);
          return {
            tier: card.dataset.tier,
            width: box.width,
            height: box.height,
            display: getComputedStyle(card).display,
            amount: amount.textContent,
            fontSize: style.fontSize,
            color: style.color,
            buyVisible: getComputedStyle(buy).visibility === "visible" && buy.offsetWidth > 0,
          };
        }),
      ),
    );
    assert.deepEqual(
      cards.map((widget) => widget.map((card) => card.tier)),
      [["professional", "business"], ["lite", "standard", "pro"]],
    );
    for (const card of cards.flat()) {
      assert.equal(card.display, "flex", `${card.tier} keeps its layout`);
      assert.ok(card.width > 200 && card.height > 150, `${card.tier} is a card: ${card.width}x${card.height}`);
      assert.equal(card.fontSize, "28px", `${card.tier} price size`);
      assert.notEqual(card.color, "rgb(255, 0, 0)", `${card.tier} price colour`);
      assert.ok(card.buyVisible, `${card.tier} buy button visible`);
    }
    // The default selection: annual, prices per seat per year.
    assert.deepEqual(
      cards[0].map((card) => squash(card.amount)),
      ["144,00 €", "192,00 €"],
    );
    assert.deepEqual(
      cards[1].map((card) => squash(card.amount)),
      ["$648.00", "$1,308.00", "$2,628.00"],
    );
    // An element the page adds later gets its widget too.
    await page.evaluate(() => {
      const late = document.createElement("div");
      late.id = "late";
      late.dataset.checkoutPricing = "";
      late.dataset.product = "remote-support";
      late.dataset.currency = "GBP";
      document.body.append(late);
    });
    await page.locator("#late .cp-card").first().waitFor();
    assert.equal(
      squash(await page.locator('#late .cp-card[data-tier="premium"] .cp-card__amount').textContent()),
      "£564.00",
    );
    // The theme custom property of the host page reaches inside the shadow root.
    const accent = await page
      .locator("#meeting .cp-button--buy")
      .first()
      .evaluate((button) => getComputedStyle(button).backgroundColor);
    assert.equal(accent, "rgb(0, 109, 78)");
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("the buy button carries product, tier, seats and frequency into the checkout", async () => {
    const { page, errors } = await hostilePage();
    const meeting = page.locator("#meeting");
    const seats = meeting.getByRole("spinbutton");
    assert.equal(await seats.getAttribute("aria-valuenow"), "5");
    await seats.focus();
    await seats.press("ArrowUp");
    await seats.press("ArrowUp");
    await seats.press("ArrowUp");
    assert.equal(await seats.getAttribute("aria-valuenow"), "8");
    const business = meeting.locator('.cp-card[data-tier="business"]');
    assert.equal(
      squash(await business.locator(".cp-card__total").textContent()),
      // Italian groups digits from five on (CLDR minimum grouping digits 2).
      "Totale per 8 licenze: 1536,00 € all'anno, IVA esclusa",
    );
    await Promise.all([
      page.waitForURL(/\/checkout\//),
      business.getByRole("link", { name: "Acquista" }).click(),
    ]);
    const url = new URL(page.url());
    assert.equal(url.pathname, "/checkout/");
    assert.equal(
      url.search,
      "?ref=partner&op=buy&product=meeting&tier=business&seats=8&frequency=annual",
    );
    assert.equal(url.hash, "#start");
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("monthly prices, the trial link and the seat limits of the English widget", async () => {
    const { page } = await hostilePage();
    const webinar = page.locator("#webinar");
    await webinar.getByLabel("Monthly").check();
    const pro = webinar.locator('.cp-card[data-tier="pro"]');
    assert.equal(squash(await pro.locator(".cp-card__amount").textContent()), "$269.00");
    // Typing more seats than any tier allows offers contact sales instead (R5).
    const seats = webinar.getByRole("spinbutton");
    await seats.fill("75");
    assert.equal(await seats.getAttribute("aria-invalid"), "true");
    const messageId = await seats.getAttribute("aria-describedby");
    const message = webinar.locator(`[id="${messageId}"]`);
    assert.match(squash(await message.textContent()), /For more than 50 seats, talk to our sales team\. Contact sales/);
    assert.equal(await seats.getAttribute("aria-valuenow"), "5");
    // Words are not numbers either.
    await seats.fill("abc");
    assert.match(squash(await message.textContent()), /Enter a whole number from 1 to 50\./);
    await seats.fill("12");
    assert.equal(await seats.getAttribute("aria-invalid"), "false");
    await seats.press("End");
    assert.equal(await seats.getAttribute("aria-valuenow"), "50");
    await seats.press("PageDown");
    assert.equal(await seats.getAttribute("aria-valuenow"), "40");
    await seats.press("Home");
    assert.equal(await seats.getAttribute("aria-valuenow"), "1");
    assert.equal(
      await pro.getByRole("link", { name: "Buy now" }).getAttribute("href"),
      "/?op=buy&product=webinar&tier=pro&seats=1&frequency=monthly",
    );
    await Promise.all([
      page.waitForURL(/op=trial/),
      pro.getByRole("link", { name: "Free trial" }).click(),
    ]);
    assert.equal(new URL(page.url()).search, "?op=trial&product=webinar&tier=pro");
    await page.close();
  });

  test("amounts are written as the browser's Intl.NumberFormat writes them", async () => {
    // The widget writes amounts itself (crates/widget/src/i18n.rs, MoneyStyle) rather than through
    // Intl, whose first formatter loads the locale's data; this holds it to what Intl writes, in
    // every language and currency, with totals of five digits and more (50 seats).
    const catalog = await (await fetch(`${app.server.origin}/api/v1/catalog`)).json();
    const tiers = catalog.products.find((product) => product.id === "webinar").tiers;
    const widgets = [];
    for (const lang of ["it", "en"]) {
      for (const currency of ["EUR", "USD", "GBP"]) widgets.push({ lang, currency });
    }
    const page = await app.browser.newPage({ viewport: { width: 1200, height: 1000 } });
    const errors = watchErrors(page);
    await page.route(`${app.server.origin}/amounts.html`, (route) =>
      route.fulfill({
        contentType: "text/html",
        headers: { "content-security-policy": CSP },
        body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Amounts</title>
<script type="module" src="/widget/pricing.js"></script></head><body>
${widgets.map(({ lang, currency }) => `<div data-checkout-pricing data-product="webinar" data-currency="${currency}" data-lang="${lang}"></div>`).join("\n")}
</body></html>`,
      }),
    );
    await page.goto(`${app.server.origin}/amounts.html`);
    for (const [index, { lang, currency }] of widgets.entries()) {
      const widget = page.locator("[data-checkout-pricing]").nth(index);
      await widget.scrollIntoViewIfNeeded();
      await widget.getByRole("spinbutton").press("End");
      const prices = tiers.map((tier) => tier.prices[currency].annual);
      // 50 seats, in cents, back to a decimal string.
      const totals = prices.map((price) => {
        const cents = BigInt(price.replace(".", "")) * 50n;
        return `${cents / 100n}.${String(cents % 100n).padStart(2, "0")}`;
      });
      const expected = await page.evaluate(
        ([locale, currency, amounts]) =>
          amounts.map((amount) => new Intl.NumberFormat(locale, { style: "currency", currency }).format(amount)),
        [lang === "it" ? "it-IT" : "en-US", currency, [...prices, ...totals]],
      );
      const shown = await widget.locator(".cp-card").evaluateAll((cards) =>
        cards.map((card) => [
          card.querySelector(".cp-card__amount").textContent,
          card.querySelector(".cp-card__total").textContent,
        ]),
      );
      for (const [tier, [amount, total]] of shown.entries()) {
        assert.equal(amount, expected[tier], `${lang} ${currency} price of ${tiers[tier].id}`);
        const totalAmount = expected[prices.length + tier];
        assert.ok(total.includes(totalAmount), `${lang} ${currency}: "${total}" has "${totalAmount}"`);
      }
    }
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("a widget far below the viewport is drawn when the page scrolls to it", async () => {
    const page = await app.browser.newPage({ viewport: { width: 1200, height: 800 } });
    const errors = watchErrors(page);
    await page.route(`${app.server.origin}/long.html`, (route) =>
      route.fulfill({
        contentType: "text/html",
        headers: { "content-security-policy": CSP },
        body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Long page</title>
<link rel="stylesheet" href="/long.css"><script type="module" src="/widget/pricing.js"></script></head>
<body><div id="top" data-checkout-pricing data-product="meeting" data-currency="EUR" data-lang="en"></div>
<div class="spacer"></div>
<div id="bottom" data-checkout-pricing data-product="webinar" data-currency="USD" data-lang="en"></div>
</body></html>`,
      }),
    );
    await page.route(`${app.server.origin}/long.css`, (route) =>
      route.fulfill({ contentType: "text/css", body: ".spacer { height: 4000px; }" }),
    );
    await page.goto(`${app.server.origin}/long.html`);
    // The widget in view is drawn at once; the one 4000 px below waits, without its shadow root.
    await page.locator("#top .cp-card").first().waitFor();
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => document.querySelector("#bottom").shadowRoot), null);
    await page.locator("#bottom").scrollIntoViewIfNeeded();
    await page.locator("#bottom .cp-card").first().waitFor();
    assert.equal(
      squash(await page.locator('#bottom .cp-card[data-tier="pro"] .cp-card__amount').textContent()),
      "$2,628.00",
    );
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("the demo marketing page shows both widgets", async () => {
    const page = await app.browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${app.server.origin}/marketing/`);
    await waitForTakeover(page, ["meeting"]);
    const meeting = page.locator('[data-product="meeting"] .cp-card');
    const webinar = page.locator('[data-product="webinar"] .cp-card');
    await meeting.first().waitFor();
    await webinar.first().waitFor();
    assert.equal(await meeting.count(), 2);
    assert.equal(await webinar.count(), 3);
    // The meeting widget names an API base: its catalog comes from the server.
    assert.equal(
      squash(await page.locator('[data-product="meeting"] .cp-footnote').textContent()),
      "Listino 2026-11-01",
    );
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, "pricing-widget-demo.png"), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("a widget with an API base prices with the server's catalog when it answers", async () => {
    const catalog = await (await fetch(`${app.server.origin}/api/v1/catalog`)).json();
    catalog.version = "2026-12-01";
    const business = catalog.products
      .find((product) => product.id === "meeting")
      .tiers.find((tier) => tier.id === "business");
    business.prices.EUR.annual = "200.00";
    const page = await app.browser.newPage();
    const errors = watchErrors(page);
    await page.route(`${app.server.origin}/api/v1/catalog`, (route) =>
      route.fulfill({ contentType: "application/json", body: JSON.stringify(catalog) }),
    );
    await page.goto(`${app.server.origin}/marketing/`);
    // Nobody touches the page: the loader finds the server's catalog newer than the painted one
    // and the WebAssembly takes the widget over by itself (S81).
    const meeting = page.locator('[data-product="meeting"]');
    await page.waitForFunction(() =>
      document
        .querySelector('[data-product="meeting"]')
        ?.shadowRoot?.querySelector(".cp-footnote")
        ?.textContent.includes("2026-12-01"),
    );
    assert.equal(
      squash(await meeting.locator('.cp-card[data-tier="business"] .cp-card__amount').textContent()),
      "200,00 €",
    );
    // The webinar widget names no API base: it keeps the bundled catalog.
    assert.equal(
      squash(await page.locator('[data-product="webinar"] .cp-footnote').textContent()),
      "Price list 2026-11-01",
    );
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("a server catalog that prices as the bundled one leaves the widget as it is", async () => {
    // The answer is held back until the widget has drawn the bundled catalog.
    let release;
    const held = new Promise((resolve) => (release = resolve));
    const page = await app.browser.newPage();
    const errors = watchErrors(page);
    await page.route(`${app.server.origin}/api/v1/catalog`, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${app.server.origin}/marketing/`);
    await waitForTakeover(page, ["meeting"]);
    const meeting = page.locator('[data-product="meeting"]');
    await meeting.locator(".cp-card").first().waitFor();
    await page.evaluate(() => {
      const shadow = document.querySelector('[data-product="meeting"]').shadowRoot;
      globalThis.drawnCard = shadow.querySelector(".cp-card");
    });
    const answered = page.waitForResponse(`${app.server.origin}/api/v1/catalog`);
    release();
    await (await answered).finished();
    // Time for the widget to read the answer (it would redraw in the same task).
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => globalThis.drawnCard.isConnected), true);
    assert.equal(squash(await meeting.locator(".cp-footnote").textContent()), "Listino 2026-11-01");
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("the widget redrawn with the server's catalog keeps the customer's choice", async () => {
    const catalog = await (await fetch(`${app.server.origin}/api/v1/catalog`)).json();
    catalog.version = "2026-12-01";
    // The catalog answer is held back until the customer has picked monthly and 8 seats.
    let release;
    const held = new Promise((resolve) => (release = resolve));
    const page = await app.browser.newPage();
    const errors = watchErrors(page);
    await page.route(`${app.server.origin}/api/v1/catalog`, async (route) => {
      await held;
      await route.fulfill({ contentType: "application/json", body: JSON.stringify(catalog) });
    });
    await page.goto(`${app.server.origin}/marketing/`);
    await waitForTakeover(page, ["meeting"]);
    const meeting = page.locator('[data-product="meeting"]');
    await meeting.locator(".cp-card").first().waitFor();
    assert.equal(squash(await meeting.locator(".cp-footnote").textContent()), "Listino 2026-11-01");
    await meeting.getByLabel("Mensile").check();
    await meeting.getByRole("spinbutton").fill("8");
    release();
    await page.waitForFunction(() =>
      document
        .querySelector('[data-product="meeting"]')
        ?.shadowRoot?.querySelector(".cp-footnote")
        ?.textContent.includes("2026-12-01"),
    );
    assert.equal(await meeting.getByRole("spinbutton").getAttribute("aria-valuenow"), "8");
    assert.equal(await meeting.getByLabel("Mensile").isChecked(), true);
    assert.equal(
      squash(await meeting.locator('.cp-card[data-tier="business"] .cp-card__total').textContent()),
      "Totale per 8 licenze: 152,00 € al mese, IVA esclusa",
    );
    assert.deepEqual(errors, []);
    await page.close();
  });
});
