// Issue 14, item 5 (S97): the pricing widget writes its amounts in the browser's locale apart from
// its texts' language: its own writing for it-IT and en-US, Intl's for any other locale.
import assert from "node:assert/strict";
import { test } from "node:test";
import { useServerAndBrowser, watchErrors } from "./harness.mjs";

const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
  "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'";

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Locale</title>
<script type="module" src="/widget/pricing.js"></script></head><body>
<div id="it" data-checkout-pricing data-product="meeting" data-currency="EUR" data-lang="it"></div>
<div id="en" data-checkout-pricing data-product="meeting" data-currency="USD" data-lang="en"></div>
</body></html>`;

const app = useServerAndBrowser();

/** The widgets' texts and amounts, and what the page's Intl writes for `locale`, in a browser of `locale`. */
async function widgetsIn(locale) {
  const catalog = await (await fetch(`${app.server.origin}/api/v1/catalog`)).json();
  const tiers = catalog.products.find((product) => product.id === "meeting").tiers;
  const context = await app.browser.newContext({ locale, viewport: { width: 1200, height: 1000 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.route(`${app.server.origin}/locale.html`, (route) =>
    route.fulfill({ contentType: "text/html", headers: { "content-security-policy": CSP }, body: PAGE }),
  );
  await page.goto(`${app.server.origin}/locale.html`);
  const shown = {};
  const expected = {};
  for (const [id, currency] of [["it", "EUR"], ["en", "USD"]]) {
    const widget = page.locator(`#${id}`);
    // A widget is drawn when it comes near the viewport.
    await widget.scrollIntoViewIfNeeded();
    await widget.locator(".cp-card").first().waitFor();
    shown[id] = {
      amounts: await widget.locator(".cp-card__amount").allTextContents(),
      buy: await widget.locator(".cp-button--buy").first().textContent(),
    };
    expected[id] = await page.evaluate(
      ([locale, currency, prices]) =>
        prices.map((price) => new Intl.NumberFormat(locale, { style: "currency", currency }).format(price)),
      [locale, currency, tiers.map((tier) => tier.prices[currency].annual)],
    );
  }
  assert.deepEqual(errors, []);
  await context.close();
  return { shown, expected };
}

test("a German browser reads the widget's amounts the German way, its texts stay Italian or English", async () => {
  const { shown, expected } = await widgetsIn("de-DE");
  assert.deepEqual(shown.it.amounts, expected.it);
  assert.deepEqual(shown.en.amounts, expected.en);
  // German writes dollars after the amount: not the English "$…" of the fast path.
  assert.match(shown.en.amounts[0], /\$$/);
  assert.equal(shown.it.buy.trim(), "Acquista");
  assert.equal(shown.en.buy.trim(), "Buy now");
});

test("a British browser reads the English widget's dollars as Intl's en-GB writes them, the Italian one as Italian", async () => {
  const { shown, expected } = await widgetsIn("en-GB");
  assert.deepEqual(shown.en.amounts, expected.en);
  assert.match(shown.en.amounts[0], /^US\$/);
  // Italian texts keep Italian amounts (S97): the widget's own writing, which equals Intl's it-IT.
  const { expected: italian } = await widgetsIn("it-IT");
  assert.deepEqual(shown.it.amounts, italian.it);
});
