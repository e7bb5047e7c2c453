// Issue 13, items 4 and 5: accounts of every shape the OpenAPI document allows are shown (a
// billing contact `null`), an answer the app cannot read says so with a retry that works (S50),
// and a cart stored by an older version of the app is migrated, not lost (S51).
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertNoViolations, openApp, signIn, USERS, useServerAndBrowser } from "./harness.mjs";
import { heading, plain } from "./flows.mjs";

const app = useServerAndBrowser();

/** Rewrites the server's real account answers with `edit` (the parsed JSON, changed in place). */
async function rewriteAccount(page, edit) {
  await page.route("**/api/v1/account", async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    edit(body);
    await route.fulfill({ response, body: JSON.stringify(body) });
  });
}

test("an account whose billing contact is null signs in and shows its overview, pointing to Customer Care (S50)", async () => {
  const page = await openApp(app.browser, app.server.base);
  await rewriteAccount(page, (account) => {
    account.billing_contact = null;
  });
  await signIn(page, USERS.marco);
  await heading(page, "Centro fatturazione");
  const text = plain(await page.textContent("main"));
  assert.match(text, /Solo consultazione/);
  assert.match(text, /Questo account non ha un contatto di fatturazione/);
  assert.match(text, /Assistenza clienti/);
  assert.match(text, /Meeting/, "the subscriptions are shown");
  assert.equal(await page.locator("#email").count(), 0, "not the sign-in form");
  await assertNoViolations(page, "overview without a billing contact");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("a billing contact with only an e-mail, and no next payment, are shown with what is there (S50)", async () => {
  const page = await openApp(app.browser, app.server.base);
  await rewriteAccount(page, (account) => {
    account.billing_contact = { email: "giulia.rossi@example.com" };
    delete account.next_payment;
  });
  await signIn(page, USERS.marco);
  await heading(page, "Centro fatturazione");
  const text = plain(await page.textContent("main"));
  assert.match(text, /Rivolgiti a giulia\.rossi@example\.com\./);
  assert.doesNotMatch(text, /Giulia Rossi/);
  await page.context().close();
});

test("an account answer the app cannot read shows a message and a retry that loads it (S50)", async () => {
  const page = await openApp(app.browser, app.server.base);
  // The answers to the sign-in's load and to the first retry are cut short; the second retry
  // gets the server's answer. Counted rather than switched, so no click races a flag.
  let cut = 0;
  await page.route("**/api/v1/account", async (route) => {
    if (cut === 2) return route.continue();
    cut += 1;
    const response = await route.fetch();
    await route.fulfill({ response, body: '{"id":"acc_rossi","name":' });
  });
  await signIn(page, USERS.giulia);
  await heading(page, "Impossibile mostrare l'account");
  const alert = plain(await page.getByRole("alert").textContent());
  assert.match(alert, /una risposta illeggibile/);
  assert.equal(await page.locator("#email").count(), 0, "not the sign-in form");
  await assertNoViolations(page, "the account cannot be shown");
  // A retry with the same answer stays on the message; once the answer reads, the overview opens
  // with the same session.
  const retry = page.getByRole("button", { name: "Riprova" });
  await Promise.all([page.waitForResponse("**/api/v1/account"), retry.click()]);
  await heading(page, "Impossibile mostrare l'account");
  assert.equal(cut, 2);
  await retry.click();
  await heading(page, "Centro fatturazione");
  assert.match(plain(await page.textContent("main")), /Meeting/);
  await page.context().close();
});

test("a server error on the account also offers a retry, and sign-out leads to the form (S50)", async () => {
  const page = await openApp(app.browser, app.server.base);
  await page.route("**/api/v1/account", (route) =>
    route.fulfill({ status: 503, contentType: "application/json", body: "{}" }),
  );
  await signIn(page, USERS.giulia);
  await heading(page, "Impossibile mostrare l'account");
  // A server that answers with an error is told apart from one that does not answer (S94).
  assert.match(plain(await page.getByRole("alert").textContent()), /Il server ha un problema/);
  await page.getByRole("button", { name: "Esci" }).click();
  await heading(page, "Accedi al Centro fatturazione");
  await page.context().close();
});

/** Puts `stored` as acc_rossi's cart into local storage, then starts the app anew and signs in. */
async function signInWithStoredCart(stored) {
  const page = await openApp(app.browser, app.server.base);
  await page.evaluate((text) => localStorage.setItem("checkout.cart.acc_rossi", text), stored);
  await page.reload();
  await page.waitForSelector("#email");
  await signIn(page, USERS.giulia);
  await heading(page, "Centro fatturazione");
  return page;
}

for (const [version, stored] of [
  // Version 1 (2026-11-23 to issue 13): one item a line, tab-separated fields.
  ["1 (lines)", "change\tsub_1\t\t8\t\ncancel\tsub_2"],
  // Version 0 (the first app): serde_json's form of the cart, the order items with no version.
  ["0 (serde_json)", '{"items":[{"op":"change","subscription":"sub_1","seats":8},{"op":"cancel","subscription":"sub_2"}]}'],
]) {
  test(`a cart stored by version ${version} is in the cart after sign-in and stored anew (S51)`, async () => {
    const page = await signInWithStoredCart(stored);
    const items = page.locator(".cart-items li");
    assert.equal(await items.count(), 2);
    const text = plain(await page.textContent(".cart-items"));
    assert.match(text, /Meeting/);
    assert.match(text, /8/);
    assert.match(text, /Webinar/);
    const now = JSON.parse(await page.evaluate(() => localStorage.getItem("checkout.cart.acc_rossi")));
    assert.deepEqual(now, {
      version: 2,
      request: {
        items: [
          { op: "change", subscription: "sub_1", seats: 8 },
          { op: "cancel", subscription: "sub_2" },
        ],
      },
    });
    // The migrated cart reads again after a reload.
    await page.reload();
    await heading(page, "Centro fatturazione");
    assert.equal(await page.locator(".cart-items li").count(), 2);
    await page.context().close();
  });
}
