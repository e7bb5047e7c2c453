// Placing orders: a retry after a network failure places exactly one order (R23), a declined
// card keeps the cart (R20), a stale price asks again (R24), the VAT id is checked live (R21).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  api, apiToken, assertNoViolations, openApp, signIn, USERS, useServerAndBrowser,
} from "./harness.mjs";
import { amountDue, failFirstPlacement, heading, menu, orders, plain } from "./flows.mjs";

let token;
const app = useServerAndBrowser(async ({ server }) => {
  token = await apiToken(server.base, USERS.giulia);
});

/** Signs Giulia in and reviews meeting at `seats` seats. */
async function reviewMeeting(seats) {
  const page = await openApp(app.browser, app.server.base);
  await signIn(page, USERS.giulia);
  await menu(page, "Meeting", "Modifica sottoscrizione");
  await page.fill("#seats", String(seats));
  await page.waitForFunction((s) => document.querySelector("#seats")?.getAttribute("aria-valuenow") === s, String(seats));
  await page.getByRole("button", { name: "Completa la transazione" }).click();
  await heading(page, "Completa transazione");
  return page;
}

test("a placement whose answer is lost is retried with the same key and places exactly one order", async () => {
  const page = await reviewMeeting(6);
  // The server receives and places the order, but the browser never sees the answer.
  const keys = await failFirstPlacement(page, (route) => route.abort("connectionreset"));
  await page.click("#place-order");
  const alert = page.getByRole("alert");
  await alert.waitFor();
  assert.match(plain(await alert.textContent()), /L'ordine potrebbe essere stato effettuato/);
  // The cart is kept.
  assert.equal(await page.locator(".cart-items li").count(), 1);
  assert.equal((await orders(api, app.server.base, token)).length, 1, "the lost answer's order was placed");
  await assertNoViolations(page, "the review with the network error");

  await page.getByRole("button", { name: "Riprova" }).click();
  await heading(page, "Ordine effettuato");
  assert.equal(keys.length, 2);
  assert.equal(keys[0], keys[1], "the retry reuses the idempotency key");
  assert.match(keys[0], /^[0-9a-f-]{36}$/);
  const placed = await orders(api, app.server.base, token);
  assert.equal(placed.length, 1, "exactly one order");
  await page.context().close();
});

test("a declined card keeps the cart and another card then pays", async () => {
  const page = await reviewMeeting(7);
  await page.check("#pm-pm_2");
  await page.click("#place-order");
  const alert = page.getByRole("alert");
  await alert.waitFor();
  assert.match(plain(await alert.textContent()), /La carta è stata rifiutata/);
  assert.equal(await page.locator(".cart-items li").count(), 1);
  await page.check("#pm-pm_1");
  await page.click("#place-order");
  await heading(page, "Ordine effettuato");
  assert.equal((await orders(api, app.server.base, token)).length, 2);
  await page.context().close();
});

test("409 price_changed shows the server's new quote and asks again", async () => {
  const page = await reviewMeeting(9);
  let tampered = false;
  await page.route("**/api/v1/orders", async (route) => {
    const request = route.request();
    if (request.method() !== "POST" || tampered) return route.continue();
    tampered = true;
    // As if the catalog changed after the preview: the server's price differs from the shown one.
    const body = JSON.parse(request.postData());
    body.expected_total = "1.00";
    return route.continue({ postData: JSON.stringify(body) });
  });
  await page.click("#place-order");
  const alert = page.getByRole("alert");
  await alert.waitFor();
  assert.match(plain(await alert.textContent()), /Il prezzo è cambiato/);
  assert.equal(await page.locator(".alert .summary-table tr.due").count(), 1, "the fresh quote is shown");
  await page.click("#place-order");
  await heading(page, "Ordine effettuato");
  assert.equal((await orders(api, app.server.base, token)).length, 3);
  await page.context().close();
});

test("the VAT id is checked live; a valid foreign-to-seller partita IVA gives the reverse charge", async () => {
  const page = await reviewMeeting(12);
  await page.fill("#vat-id", "IT123");
  assert.equal(await page.getAttribute("#vat-id", "aria-invalid"), "true");
  assert.match(plain(await page.textContent("#vat-message")), /formato della partita IVA non è valido/);
  assert.equal(await page.isDisabled("#place-order"), true);
  await page.fill("#vat-id", "IT00743110157");
  assert.equal(await page.getAttribute("#vat-id", "aria-invalid"), "false");
  assert.match(plain(await page.textContent(".summary .summary-table")), /inversione contabile/);
  assert.equal(await page.isDisabled("#place-order"), false);
  await assertNoViolations(page, "the review with a VAT id");
  const shown = await amountDue(page);
  await page.click("#place-order");
  await heading(page, "Ordine effettuato");
  assert.equal(plain(await page.textContent("#total-paid")), shown);
  const account = await api(app.server.base, token, "GET", "/api/v1/account");
  assert.equal(account.body.vat_id, "IT00743110157");
  await page.context().close();
});

test("the pricing widget's link opens the editor on its selection, and the purchase goes through (R10)", async () => {
  const context = await app.browser.newContext({ locale: "it-IT" });
  const page = await context.newPage();
  await page.goto(`${app.server.base}/?op=buy&product=remote-support&tier=premium&seats=4&frequency=annual`);
  await page.waitForSelector("#email");
  await signIn(page, USERS.giulia);
  await heading(page, "Aggiungi nuovo abbonamento");
  assert.equal(await page.isChecked("#product-remote-support"), true);
  assert.equal(await page.isChecked("#buy-remote-support"), true);
  assert.equal(await page.isChecked("#tier-premium"), true);
  assert.equal(await page.isChecked("#freq-annual"), true);
  assert.equal(await page.getAttribute("#seats", "aria-valuenow"), "4");
  const quote = await api(app.server.base, token, "POST", "/api/v1/quote", {
    items: [{ op: "buy", product: "remote-support", tier: "premium", seats: 4, frequency: "annual" }],
  });
  const due = await page.evaluate(
    (a) => new Intl.NumberFormat("it-IT", { style: "currency", currency: "EUR" }).format(a),
    quote.body.amount_due,
  );
  assert.equal(await amountDue(page), plain(due));
  await assertNoViolations(page, "the editor opened from a widget link");
  await page.getByRole("button", { name: "Completa la transazione" }).click();
  await heading(page, "Completa transazione");
  await page.click("#place-order");
  await heading(page, "Ordine effettuato");
  assert.equal(plain(await page.textContent("#total-paid")), plain(due));
  await context.close();
});
