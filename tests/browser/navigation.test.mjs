// Issue 14: every screen has a URL (S90). Back and Forward move between screens, a reload stays on
// the screen with its draft and the cart (S92), a bookmarked receipt opens after sign-in, the
// sign-in page returns to a page of this origin only (S91), sign-out ends the session on the
// server (R30), and a session ended in the middle of a flow returns to the same screen. Every
// test starts from a fresh browser context; the orders one test places it also undoes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { api, apiToken, assertNoViolations, openApp, signIn, USERS, useServerAndBrowser } from "./harness.mjs";
import { heading, menu, plain } from "./flows.mjs";

const app = useServerAndBrowser();

const path = (page) => new URL(page.url()).pathname + new URL(page.url()).search;

/** Waits until the address bar's path (and query) reads `expected`. */
async function at(page, expected) {
  await page.waitForFunction((p) => location.pathname + location.search === p, expected);
}

/** The page heading has the focus and names the screen in the document's title. */
async function focusedAndTitled(page, title) {
  await page.waitForFunction(() => document.activeElement?.id === "page-title");
  await titled(page, title);
}

/** The page heading and the document's title name the page (a page just loaded keeps the focus
 * where the browser puts it). */
async function titled(page, title) {
  await heading(page, title);
  const expected = title === "Centro fatturazione" ? title : `${title} · Centro fatturazione`;
  await page.waitForFunction((t) => document.title === t, expected);
}

/** Sets the editor's seat field and waits for the stepper to take it. */
async function seats(page, count) {
  await page.fill("#seats", String(count));
  await page.waitForFunction((s) => document.querySelector("#seats")?.getAttribute("aria-valuenow") === s, String(count));
}

/** The session token the page holds. */
const pageToken = (page) => page.evaluate(() => sessionStorage.getItem("checkout.token"));

/** Ends a session through the API (R30); returns the status. */
async function endSession(token) {
  const res = await fetch(app.server.base + "/api/v1/session", {
    method: "DELETE",
    headers: { Authorization: `Bearer ${token}` },
  });
  return res.status;
}

/** Places an order through the API at its quoted total; returns the order. */
async function placeByApi(token, items) {
  const quote = await api(app.server.base, token, "POST", "/api/v1/quote", { items });
  assert.equal(quote.status, 200, JSON.stringify(quote.body));
  const res = await fetch(app.server.base + "/api/v1/orders", {
    method: "POST",
    headers: {
      Authorization: `Bearer ${token}`,
      "Content-Type": "application/json",
      "Idempotency-Key": crypto.randomUUID(),
    },
    body: JSON.stringify({ items, expected_total: quote.body.total }),
  });
  const body = await res.json();
  assert.equal(res.status, 201, JSON.stringify(body));
  return body;
}

test("every screen has a URL; Back, Forward and a reload keep the screen, the draft and the cart", async () => {
  const page = await openApp(app.browser, app.server.base);
  await signIn(page, USERS.giulia);
  await at(page, "/billing");
  await focusedAndTitled(page, "Centro fatturazione");

  // The change editor, with a draft a reload keeps.
  await menu(page, "Meeting", "Modifica sottoscrizione");
  await at(page, "/billing/subscriptions/sub_1/change");
  await focusedAndTitled(page, "Modifica sottoscrizione: Meeting");
  await seats(page, 9);
  await page.reload();
  await focusedAndTitled(page, "Modifica sottoscrizione: Meeting");
  assert.equal(await page.getAttribute("#seats", "aria-valuenow"), "9", "the reload keeps the draft");

  // The review page, with the cart a reload keeps.
  await page.getByRole("button", { name: "Completa la transazione" }).click();
  await at(page, "/billing/review");
  await focusedAndTitled(page, "Completa transazione");
  await page.reload();
  await focusedAndTitled(page, "Completa transazione");
  assert.match(plain(await page.textContent(".cart-items")), /Meeting.*9/);

  // Back reopens the editor with the cart's item; Forward the review page.
  await page.goBack();
  await at(page, "/billing/subscriptions/sub_1/change");
  await focusedAndTitled(page, "Modifica sottoscrizione: Meeting");
  assert.equal(await page.getAttribute("#seats", "aria-valuenow"), "9");
  await page.goForward();
  await at(page, "/billing/review");
  await focusedAndTitled(page, "Completa transazione");

  // The Billing Center is one click away from the review page (the app's name).
  await page.getByRole("link", { name: "Centro fatturazione" }).click();
  await at(page, "/billing");
  await focusedAndTitled(page, "Centro fatturazione");
  await assertNoViolations(page, "the overview with the app's name as a link");

  // Adding a product.
  await page.getByRole("button", { name: "Aggiungi nuovo abbonamento" }).click();
  await at(page, "/billing/add");
  await focusedAndTitled(page, "Aggiungi nuovo abbonamento");
  await page.reload();
  await focusedAndTitled(page, "Aggiungi nuovo abbonamento");
  await page.goBack();
  await at(page, "/billing");
  await focusedAndTitled(page, "Centro fatturazione");
  assert.equal(await page.locator(".cart .cart-items li").count(), 1, "the cart is still there");

  // The history, an account page of its own (S107); the language switch renames the document
  // too.
  await page.getByRole("button", { name: "Visualizza tutta l'attività" }).click();
  await at(page, "/account/history");
  await titled(page, "Cronologia di fatturazione");
  await page.getByRole("button", { name: "Switch to English" }).click();
  await page.waitForFunction(() => document.title === "Billing history · Billing Center");
  await page.getByRole("button", { name: "Passa all'italiano" }).click();
  await page.reload();
  await titled(page, "Cronologia di fatturazione");
  // Back after the reload: the overview the history was opened from, with the cart.
  await page.goBack();
  await at(page, "/billing");
  await focusedAndTitled(page, "Centro fatturazione");
  assert.equal(await page.locator(".cart .cart-items li").count(), 1, "the cart is still there");
  await page.goForward();
  await at(page, "/account/history");
  await titled(page, "Cronologia di fatturazione");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("an expired subscription's reactivation has its own URL and survives a reload", async () => {
  const page = await openApp(app.browser, app.server.base);
  await signIn(page, USERS.expired);
  // Every subscription expired: the app opens on the reactivation (R15), under its address.
  await page.waitForFunction(() => location.pathname.endsWith("/reactivate"));
  const reactivate = path(page);
  assert.match(reactivate, /^\/billing\/subscriptions\/[A-Za-z0-9_-]+\/reactivate$/);
  const title = plain(await page.textContent("#page-title"));
  await page.reload();
  await heading(page, title);
  assert.equal(path(page), reactivate);
  await page.context().close();
});

test("a bookmarked receipt opens in a new page after sign-in", async () => {
  const token = await apiToken(app.server.base, USERS.giulia);
  // An order of this test's own (turning webinar's renewal off, then on again to leave the
  // account as it was).
  const order = await placeByApi(token, [{ op: "cancel", subscription: "sub_2" }]);
  await placeByApi(token, [{ op: "resume", subscription: "sub_2" }]);

  const page = await openApp(app.browser, app.server.base);
  await page.goto(`${app.server.base}/billing/orders/${order.id}`);
  // Signed out: the sign-in form, with the receipt as the page to return to.
  await at(page, `/?next=/billing/orders/${order.id}`);
  await heading(page, "Accedi al Centro fatturazione");
  await signIn(page, USERS.giulia);
  await at(page, `/billing/orders/${order.id}`);
  await focusedAndTitled(page, "Ricevuta");
  assert.match(plain(await page.textContent("main")), new RegExp(order.id));

  // Its confirmation has an address too; an order the history does not hold, or an address the
  // app does not know, opens the overview under its own address.
  await page.goto(`${app.server.base}/billing/orders/${order.id}/confirmation`);
  await focusedAndTitled(page, "Ordine effettuato");
  for (const unknown of ["/billing/orders/ord_none", "/billing/orders/a.b", "/billing/nowhere"]) {
    await page.goto(app.server.base + unknown);
    await at(page, "/billing");
    await focusedAndTitled(page, "Centro fatturazione");
  }
  await page.context().close();
});

test("the sign-in page returns to a page of this origin only", async () => {
  const page = await openApp(app.browser, app.server.base);
  // The history's old address loads its account page (S107).
  await page.goto(`${app.server.base}/?next=${encodeURIComponent("/billing/history")}`);
  await signIn(page, USERS.giulia);
  await at(page, "/account/history");
  await titled(page, "Cronologia di fatturazione");
  await page.context().close();

  // A page of this origin outside the checkout (the account pages) is loaded as a page.
  const account = await openApp(app.browser, app.server.base);
  await account.goto(`${app.server.base}/?next=${encodeURIComponent("/account/billing?tab=cards")}`);
  const loaded = account.waitForRequest((request) => request.isNavigationRequest() && request.url().endsWith("/account/billing?tab=cards"));
  await signIn(account, USERS.giulia);
  await loaded;
  await account.context().close();

  for (const next of ["https://evil.example/", "//evil.example/billing", "/\\evil.example"]) {
    const other = await openApp(app.browser, app.server.base);
    await other.goto(`${app.server.base}/?next=${encodeURIComponent(next)}`);
    await signIn(other, USERS.giulia);
    await at(other, "/billing");
    await heading(other, "Centro fatturazione");
    assert.equal(new URL(other.url()).origin, app.server.base, next);
    await other.context().close();
  }
});

test("sign-out ends the session on the server, forgets the session in the tab and keeps the cart", async () => {
  const page = await openApp(app.browser, app.server.base);
  await signIn(page, USERS.giulia);
  await menu(page, "Meeting", "Modifica sottoscrizione");
  await seats(page, 12);
  await page.getByRole("button", { name: "Completa la transazione" }).click();
  await at(page, "/billing/review");
  const token = await pageToken(page);
  assert.equal((await api(app.server.base, token, "GET", "/api/v1/account")).status, 200);

  await page.getByRole("button", { name: "Esci" }).click();
  await heading(page, "Accedi al Centro fatturazione");
  await at(page, "/");
  assert.equal((await api(app.server.base, token, "GET", "/api/v1/account")).status, 401, "the old token is refused");
  const stored = await page.evaluate(() => ({
    session: Object.keys(sessionStorage),
    local: Object.keys(localStorage),
  }));
  assert.deepEqual(stored.session, [], "nothing of the session is left in the tab");
  assert.ok(stored.local.some((k) => k.startsWith("checkout.cart.")), "the cart stays stored");

  // Back to a screen of the session asks for a sign-in, with that screen to return to.
  await page.goBack();
  await at(page, "/?next=/billing/review");
  await focusedAndTitled(page, "Accedi al Centro fatturazione");
  await signIn(page, USERS.giulia);
  await at(page, "/billing/review");
  assert.match(plain(await page.textContent(".cart-items")), /Meeting.*12/);
  await page.context().close();
});

test("a session ended on the server mid-flow signs in again and returns to the draft and the cart", async () => {
  const page = await openApp(app.browser, app.server.base);
  await signIn(page, USERS.giulia);
  await menu(page, "Meeting", "Modifica sottoscrizione");
  await seats(page, 11);
  await page.getByRole("button", { name: "Completa la transazione" }).click();
  await at(page, "/billing/review");

  // The session ends on the server while the user reviews.
  assert.equal(await endSession(await pageToken(page)), 204);
  await page.click("#place-order");
  await at(page, "/?next=/billing/review");
  await heading(page, "Accedi al Centro fatturazione");
  assert.match(plain(await page.textContent("form .error")), /La sessione è scaduta/);
  await signIn(page, USERS.giulia);
  await at(page, "/billing/review");
  await focusedAndTitled(page, "Completa transazione");
  assert.match(plain(await page.textContent(".cart-items")), /Meeting.*11/);

  // The same while editing: the draft comes back after the new sign-in.
  await page.getByRole("link", { name: "Centro fatturazione" }).click();
  await menu(page, "Webinar", "Modifica sottoscrizione");
  await at(page, "/billing/subscriptions/sub_2/change");
  await seats(page, 4);
  assert.equal(await endSession(await pageToken(page)), 204);
  await page.reload();
  await at(page, "/?next=/billing/subscriptions/sub_2/change");
  await signIn(page, USERS.giulia);
  await at(page, "/billing/subscriptions/sub_2/change");
  await focusedAndTitled(page, "Modifica sottoscrizione: Webinar");
  assert.equal(await page.getAttribute("#seats", "aria-valuenow"), "4", "the draft is back");
  await page.context().close();
});
