// Every server call says that it works and how it failed (issue 14, items 2 and 8): sign-in tells
// wrong credentials, too many attempts (with the wait) and a failing or unreachable server apart;
// a 5xx while placing is "it may have been placed", and the retry places exactly one order (R23);
// the server unreachable at start offers a retry; a hung request ends after the timeout (S93,
// through Playwright's clock, which drives AbortSignal.timeout: no real waiting); the field an
// error names takes the focus (S96). Failures are injected with page.route.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  api, apiToken, assertNoViolations, openApp, signIn, USERS, useServerAndBrowser,
} from "./harness.mjs";
import { failFirstPlacement, heading, menu, orders, plain } from "./flows.mjs";

const app = useServerAndBrowser();

/** Fills the sign-in form with `user` and submits it. */
async function submitSignIn(page, user) {
  await page.fill("#email", user.email);
  await page.fill("#password", user.password);
  await page.click("button[type=submit]");
}

/** The sign-in form's error message, once shown. */
async function signInError(page) {
  const alert = page.locator("form .error[role=alert]");
  await alert.waitFor();
  return plain(await alert.textContent());
}

/** Signs Giulia in and reviews meeting at `seats` seats. */
async function reviewMeeting(page, seats) {
  await signIn(page, USERS.giulia);
  await menu(page, "Meeting", "Modifica sottoscrizione");
  await page.fill("#seats", String(seats));
  await page.waitForFunction(
    (s) => document.querySelector("#seats")?.getAttribute("aria-valuenow") === s,
    String(seats),
  );
  await page.getByRole("button", { name: "Completa la transazione" }).click();
  await heading(page, "Completa transazione");
}

test("sign-in tells wrong credentials, too many attempts with the wait, and a failing server apart", async () => {
  const page = await openApp(app.browser, app.server.base);
  // An e-mail of no account, so the limits (S30) of this test's pair touch no other test.
  const stranger = { email: "nobody-errors-test@example.com", password: "not-the-password" };
  await submitSignIn(page, stranger);
  assert.equal(await signInError(page), "E-mail o password non corretti.");

  // Four more wrong attempts use the pair's free ones; the next must wait (S30): the server's own
  // 429 and its Retry-After, read by the app.
  for (let i = 0; i < 4; i++) {
    const res = await fetch(`${app.server.base}/api/v1/session`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(stranger),
    });
    assert.equal(res.status, 401);
  }
  await page.click("button[type=submit]");
  await page.waitForFunction(() => /Troppi tentativi/.test(document.querySelector("form .error")?.textContent ?? ""));
  assert.match(await signInError(page), /^Troppi tentativi di accesso: riprova tra \d+ s\.$/);
  await assertNoViolations(page, "sign-in after too many attempts");

  // A wait of minutes is written in minutes, rounded up.
  await page.route("**/api/v1/session", (route) =>
    route.fulfill({
      status: 429,
      headers: { "Retry-After": "90" },
      contentType: "application/json",
      body: JSON.stringify({ error: { code: "too_many_attempts", message: "wait" } }),
    }),
  );
  await submitSignIn(page, USERS.giulia);
  await page.waitForFunction(() => /2 min/.test(document.querySelector("form .error")?.textContent ?? ""));
  assert.equal(await signInError(page), "Troppi tentativi di accesso: riprova tra 2 min.");

  await page.unroute("**/api/v1/session");
  await page.route("**/api/v1/session", (route) =>
    route.fulfill({ status: 503, contentType: "application/json", body: "{}" }),
  );
  await submitSignIn(page, USERS.giulia);
  await page.waitForFunction(() => /problema/.test(document.querySelector("form .error")?.textContent ?? ""));
  assert.equal(await signInError(page), "Il server ha un problema in questo momento: riprova tra poco.");

  await page.unroute("**/api/v1/session");
  await page.route("**/api/v1/session", (route) => route.abort("connectionrefused"));
  await submitSignIn(page, USERS.giulia);
  await page.waitForFunction(() => /non risponde/.test(document.querySelector("form .error")?.textContent ?? ""));
  assert.match(await signInError(page), /^Il server non risponde/);

  // The server is back: the same form signs in.
  await page.unroute("**/api/v1/session");
  await submitSignIn(page, USERS.giulia);
  await heading(page, "Centro fatturazione");
  assert.deepEqual(page.errors.filter((e) => !/Failed to load resource/.test(e)), []);
  await page.context().close();
});

test("a 5xx while placing may have placed the order: the retry reuses the key and places exactly one", async () => {
  const token = await apiToken(app.server.base, USERS.giulia);
  const before = (await orders(api, app.server.base, token)).length;
  const page = await openApp(app.browser, app.server.base);
  await reviewMeeting(page, 6);
  // The server places the order, but a proxy in between answers 502 instead.
  const keys = await failFirstPlacement(page, (route) =>
    route.fulfill({ status: 502, contentType: "text/html", body: "<h1>Bad gateway</h1>" }),
  );
  await page.click("#place-order");
  const alert = page.locator("#place-error");
  await alert.waitFor();
  assert.match(plain(await alert.textContent()), /L'ordine potrebbe essere stato effettuato/);
  assert.equal(await page.locator(".cart-items li").count(), 1, "the cart is kept");
  assert.equal((await orders(api, app.server.base, token)).length, before + 1, "the 502's order was placed");
  await assertNoViolations(page, "the review after a 502");

  await page.getByRole("button", { name: "Riprova" }).click();
  await heading(page, "Ordine effettuato");
  assert.equal(keys.length, 2);
  assert.equal(keys[0], keys[1], "the retry reuses the idempotency key");
  assert.equal((await orders(api, app.server.base, token)).length, before + 1, "exactly one order");
  await page.context().close();
});

test("a refusal naming the VAT id moves the focus to that field", async () => {
  const page = await openApp(app.browser, app.server.base);
  await reviewMeeting(page, 7);
  await page.route("**/api/v1/orders", (route) =>
    route.request().method() !== "POST"
      ? route.continue()
      : route.fulfill({
        status: 422,
        contentType: "application/json",
        body: JSON.stringify({ error: { code: "invalid_vat_id", message: "bad", field: "vat_id" } }),
      }),
  );
  await page.click("#place-order");
  await page.locator("#place-error").waitFor();
  assert.match(plain(await page.textContent("#place-error")), /partita IVA non è valido/);
  await page.waitForFunction(() => document.activeElement?.id === "vat-id");
  // A refusal is final: no retry is offered.
  assert.equal(await page.getByRole("button", { name: "Riprova" }).count(), 0);
  await page.context().close();
});

test("the server unreachable at start shows what happened, and the retry loads the account", async () => {
  const token = await apiToken(app.server.base, USERS.giulia);
  const context = await app.browser.newContext({ locale: "it-IT", reducedMotion: "reduce" });
  await context.addInitScript((token) => sessionStorage.setItem("checkout.token", token), token);
  const page = await context.newPage();
  page.errors = [];
  // Every start-up request (account, catalog, history) finds no server.
  const down = (route) => route.abort("connectionrefused");
  await page.route("**/api/v1/**", down);
  await page.goto(app.server.base + "/");
  await heading(page, "Impossibile mostrare l'account");
  assert.match(plain(await page.textContent("#load-error")), /^Il server non risponde/);

  // The server is back, but slow: the retry is busy until the account arrives.
  await page.unroute("**/api/v1/**", down);
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route("**/api/v1/account", async (route) => {
    await held;
    return route.continue();
  });
  const retry = page.getByRole("button", { name: "Riprova" });
  await retry.click();
  await page.waitForSelector("button[aria-busy=true]:disabled");
  release();
  await heading(page, "Centro fatturazione");
  assert.match(plain(await page.textContent("main")), /Meeting/);
  await context.close();
});

test("while the account loads after sign-in the page says so and is marked busy", async () => {
  const page = await openApp(app.browser, app.server.base);
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route("**/api/v1/account", async (route) => {
    await held;
    return route.continue();
  });
  await submitSignIn(page, USERS.giulia);
  await page.waitForSelector("section[aria-busy=true] button[type=submit]:disabled");
  assert.equal(plain(await page.textContent("button[type=submit]")), "Accesso in corso…");
  release();
  await heading(page, "Centro fatturazione");
  await page.context().close();
});

test("a request that hangs ends after the timeout in the network-error path", async () => {
  const context = await app.browser.newContext({ locale: "it-IT", reducedMotion: "reduce" });
  const page = await context.newPage();
  // The page's clock (timers, AbortSignal.timeout) is Playwright's, so the test moves time on
  // instead of waiting for it.
  await page.clock.install();
  await page.goto(app.server.base + "/");
  await page.waitForSelector("#page-title");
  await page.route("**/api/v1/session", () => {
    // Never answered: the connection hangs.
  });
  await submitSignIn(page, USERS.giulia);
  await page.waitForSelector("button[type=submit]:disabled");
  // Under the server's own limit of 30 s (which would answer 408), the app still waits.
  await page.clock.fastForward(30_000);
  assert.equal(await page.isDisabled("button[type=submit]"), true);
  assert.equal(await page.locator("form .error").count(), 0);
  await page.clock.fastForward(6_000);
  assert.match(await signInError(page), /^Il server non risponde/);
  assert.equal(await page.isDisabled("button[type=submit]"), false, "the button is free again");
  await context.close();
});
