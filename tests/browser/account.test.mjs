// The account pages (/account/, crates/account, issue 15): billing information (R27), payment
// methods through the demo provider's card page on its own origin (R25), the billing-contact
// handover (R26), the read-only and corporate views (R1, R2), both languages, axe-core.
//
// Every test that changes the account starts a server of its own (fresh demo data), so the tests
// run alone and in any order; the browser is shared.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  api, apiToken, assertNoViolations, launchBrowser, openApp, screenshot, signIn, USERS,
} from "./harness.mjs";
import { startServer as startOrderServer } from "./server.mjs";
import { plain } from "./flows.mjs";

/** Test cards of the demo provider (R25), valid card numbers. */
const CARDS = { confirm: "4000002500003155", declined: "4000000000000002" };

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** A server of the test's own, with the demo data on 2026-11-16; stopped when the test ends. */
async function ownServer(t) {
  const server = await startOrderServer({
    clock: "2026-11-16",
    demo: true,
    requires: [
      ["index.html", "scripts/build-checkout.sh"],
      ["account/account_bg.wasm", "scripts/build-widget.sh"],
    ],
  });
  t.after(() => server.stop());
  return server;
}

/**
 * Opens the account pages signed in as `user`: the token is put where the checkout keeps it
 * (sessionStorage `checkout.token`, this origin only) before the page loads.
 */
async function openAccount(base, user, options = {}) {
  const token = await apiToken(base, user);
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 900 },
    locale: "it-IT",
    reducedMotion: "reduce",
  });
  await context.addInitScript(
    ([origin, value]) => {
      if (location.origin === origin && !sessionStorage.getItem("checkout.token")) {
        sessionStorage.setItem("checkout.token", value);
      }
    },
    [base, token],
  );
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (err) => page.errors.push(String(err)));
  page.on("console", (msg) => {
    if (msg.type() === "error") page.errors.push(msg.text());
  });
  await page.goto(`${base}/account/`);
  await page.waitForSelector("#account-name");
  return { page, token };
}

/** The card list as the server has it. */
async function cards(base, token) {
  const answer = await api(base, token, "GET", "/api/v1/payment-methods");
  assert.equal(answer.status, 200);
  return answer.body.payment_methods;
}

/** Goes from the account pages to the provider's card page and types a card there. */
async function typeCard(page, base, number) {
  await page.getByRole("button", { name: "Aggiungi una carta" }).click();
  await page.waitForURL((url) => url.origin !== base);
  await page.fill("#number", number);
  await page.fill("#exp", "12/30");
  await page.fill("#cvc", "123");
  await page.getByRole("button", { name: "Save card" }).click();
}

/** The text of a section's message once it has one. */
async function message(page, id) {
  await page.waitForSelector(`#${id}:not(:empty)`);
  return plain(await page.textContent(`#${id}`));
}

test("the overview links to the account pages, in Italian and English, without axe-core findings", async (t) => {
  const { base } = await ownServer(t);
  const page = await openApp(browser, base);
  await signIn(page, USERS.giulia);
  await page.getByRole("link", { name: /Metodi di pagamento, dati di fatturazione/ }).click();
  await page.waitForURL(`${base}/account/`);
  await page.waitForSelector(".card-list");
  assert.equal(await page.title(), "Gestione account · Centro fatturazione");
  assert.equal(await page.getAttribute("html", "lang"), "it");
  const text = plain(await page.textContent("main"));
  assert.match(text, /Dati di fatturazione/);
  assert.match(text, /Visa che termina con 4242/);
  assert.match(text, /Contatto attuale: Giulia Rossi/);
  assert.equal(await page.inputValue("#bi-company"), "Rossi S.r.l.");
  await assertNoViolations(page, "account pages");
  await screenshot(page, "15-account-pages");

  await page.getByRole("button", { name: "Switch to English" }).click();
  await page.waitForSelector("h1:has-text('Account settings')");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.match(plain(await page.textContent("main")), /Visa ending in 4242/);
  await assertNoViolations(page, "account pages in English");
  await screenshot(page, "15-account-pages-english");
  // A phone's width: every field and button stays inside the page.
  await page.setViewportSize({ width: 360, height: 800 });
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360);
  await screenshot(page, "15-account-pages-english-360");
  // The language is the checkout's own setting: the overview follows it.
  await page.getByRole("link", { name: "Back to the Billing Center" }).click();
  await page.waitForSelector("#page-title:has-text('Billing Center')");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("without a session the account pages send the user to the checkout's sign-in, naming the way back (next)", async (t) => {
  const { base } = await ownServer(t);
  const context = await browser.newContext({ locale: "it-IT" });
  const page = await context.newPage();
  await page.goto(`${base}/account/`);
  await page.waitForURL(`${base}/?next=/account/`);
  await context.close();
});

test("a card that needs confirmation is saved once confirmed on the provider's page (R25)", async (t) => {
  const { base } = await ownServer(t);
  const { page, token } = await openAccount(base, USERS.giulia);
  const sent = [];
  page.on("request", (request) => {
    if (request.url().startsWith(base)) sent.push(request.url() + " " + (request.postData() ?? ""));
  });
  await typeCard(page, base, CARDS.confirm);
  // The provider asks for the confirmation (strong customer authentication) on its own page.
  await page.waitForSelector("h1:has-text('Confirm your card')");
  await screenshot(page, "15-card-page-confirmation");
  await page.getByRole("button", { name: "Confirm" }).click();
  await page.waitForURL((url) => url.origin === base && url.pathname === "/account/");
  assert.equal(await message(page, "cards-message"), "Carta aggiunta: Visa che termina con 3155.");
  // Back from the provider, the focus is on what happened to the card.
  await page.waitForFunction(() => document.activeElement?.id === "cards-message");
  // The set-up id leaves the address bar, so a reload saves nothing twice.
  assert.equal(new URL(page.url()).search, "");
  await page.waitForSelector(".card-item:has-text('3155')");
  assert.deepEqual((await cards(base, token)).map((c) => c.last4), ["4242", "0002", "3155"]);
  // The card number went to the provider's origin only, never to the checkout's.
  assert.deepEqual(sent.filter((line) => line.includes(CARDS.confirm)), []);
  await assertNoViolations(page, "card added");
  await page.context().close();
});

test("an abandoned confirmation saves nothing, whether cancelled or left unfinished (R25)", async (t) => {
  const { base } = await ownServer(t);
  const { page, token } = await openAccount(base, USERS.giulia);
  // Left unfinished: the customer comes back without confirming.
  await typeCard(page, base, CARDS.confirm);
  await page.waitForSelector("h1:has-text('Confirm your card')");
  const setup = new URL(page.url()).pathname.split("/").pop();
  await page.goto(`${base}/account/?setup=${setup}`);
  assert.match(await message(page, "cards-message"), /non è stata confermata, quindi non è stata salvata/);
  assert.equal((await cards(base, token)).length, 2);
  // Cancelled on the provider's page.
  await typeCard(page, base, CARDS.confirm);
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.waitForURL((url) => url.origin === base && url.pathname === "/account/");
  assert.match(await message(page, "cards-message"), /La carta non è stata aggiunta.*Non è stato salvato nulla/);
  assert.equal(await page.getAttribute("#cards-message", "role"), "alert");
  assert.deepEqual((await cards(base, token)).map((c) => c.last4), ["4242", "0002"]);
  await page.context().close();
});

test("a declined card is not added, and the page says so (R25)", async (t) => {
  const { base } = await ownServer(t);
  const { page, token } = await openAccount(base, USERS.giulia);
  await typeCard(page, base, CARDS.declined);
  await page.waitForURL((url) => url.origin === base && url.pathname === "/account/");
  assert.match(await message(page, "cards-message"), /è stata rifiutata/);
  assert.equal((await cards(base, token)).length, 2);
  await assertNoViolations(page, "declined card");
  await screenshot(page, "15-card-declined");
  await page.context().close();
});

test("a card made the default pays the next renewal, as the page and the API say (R25, R16)", async (t) => {
  const { base } = await ownServer(t);
  const { page, token } = await openAccount(base, USERS.giulia);
  assert.match(plain(await page.textContent("#next-renewal")), /addebitato su Visa che termina con 4242\.$/);
  await page.getByRole("button", { name: "Rendi predefinita la carta Visa che termina con 0002" }).click();
  assert.equal(await message(page, "cards-message"), "Visa che termina con 0002 ora è la carta predefinita.");
  const renewal = plain(await page.textContent("#next-renewal"));
  assert.match(renewal, /^Prossimo rinnovo: .+ il .+, addebitato su Visa che termina con 0002\.$/);
  const list = await cards(base, token);
  assert.deepEqual(list.filter((c) => c.default).map((c) => c.last4), ["0002"]);
  // The renewal the page names is the account's next payment.
  const account = await api(base, token, "GET", "/api/v1/account");
  assert.match(renewal, new RegExp(account.body.next_payment.amount.replace(".", ",")));
  await page.context().close();
});

test("a card is removed after its confirmation; the last card of renewals is refused with the reason (R25)", async (t) => {
  const { base } = await ownServer(t);
  const { page, token } = await openAccount(base, USERS.giulia);
  // Cancelling the confirmation keeps the card, and the focus stays in the section.
  await page.getByRole("button", { name: "Rimuovi la carta Visa che termina con 0002" }).click();
  await page.getByRole("button", { name: "Annulla" }).click();
  await page.waitForFunction(() => document.activeElement?.id === "cards-title");
  assert.equal((await cards(base, token)).length, 2);
  await page.getByRole("button", { name: "Rimuovi la carta Visa che termina con 0002" }).click();
  assert.match(plain(await page.textContent(".confirm")), /Rimuovere la carta Visa che termina con 0002\?/);
  // The focus moves to the confirmation, so keyboard users answer it first.
  await page.waitForFunction(() => document.activeElement?.id === "remove-yes");
  await page.keyboard.press("Enter");
  assert.equal(await message(page, "cards-message"), "Carta Visa che termina con 0002 rimossa.");
  assert.deepEqual((await cards(base, token)).map((c) => c.last4), ["4242"]);
  await page.getByRole("button", { name: "Rimuovi la carta Visa che termina con 4242" }).click();
  await page.getByRole("button", { name: "Sì, rimuovi" }).click();
  assert.match(await message(page, "cards-message"), /è l'unica dell'account e paga i rinnovi automatici/);
  assert.equal((await cards(base, token)).length, 1);
  await assertNoViolations(page, "card in use");
  await page.context().close();
});

test("the billing contact hands the role over after confirming, then sees the pages read-only (R26)", async (t) => {
  const { base } = await ownServer(t);
  const { page, token } = await openAccount(base, USERS.giulia);
  await page.selectOption("#next-contact", { label: "Marco Bianchi (marco.bianchi@example.com)" });
  await page.getByRole("button", { name: "Continua" }).click();
  assert.match(plain(await page.textContent("#contact-question")), /Passare il ruolo a Marco Bianchi/);
  await assertNoViolations(page, "handover confirmation");
  await screenshot(page, "15-billing-contact-confirmation");
  await page.getByRole("button", { name: "Sì, cambia contatto" }).click();
  await page.waitForSelector("#role-title:has-text('Solo consultazione')");
  const text = plain(await page.textContent("main"));
  assert.match(text, /Rivolgiti a Marco Bianchi \(marco\.bianchi@example\.com\)/);
  assert.equal(await page.locator("#bi-company").count(), 0);
  assert.equal(await page.getByRole("button", { name: "Aggiungi una carta" }).count(), 0);
  // The server agrees: the old contact is refused, the new one may manage the account.
  const refused = await api(base, token, "GET", "/api/v1/payment-methods");
  assert.equal(refused.body.error.code, "not_billing_contact");
  const marco = await apiToken(base, USERS.marco);
  assert.equal((await api(base, marco, "GET", "/api/v1/account")).body.is_billing_contact, true);
  await assertNoViolations(page, "read-only after the handover");
  await screenshot(page, "15-account-read-only");
  await page.context().close();
});

test("a user who is not the billing contact sees the contact read-only, a corporate account the portal (R1, R2)", async (t) => {
  const { base } = await ownServer(t);
  const { page } = await openAccount(base, USERS.marco);
  assert.match(plain(await page.textContent("main")), /Solo consultazione.*Rivolgiti a Giulia Rossi/);
  assert.equal(await page.locator("#next-contact").count(), 0);
  assert.equal(await page.locator("#bi-company").count(), 0);
  await assertNoViolations(page, "read-only user");
  await page.context().close();
  const corporate = await openAccount(base, USERS.corporate);
  assert.match(plain(await corporate.page.textContent("main")), /Portale di fatturazione Corporate/);
  assert.equal(await corporate.page.locator(".panel").count(), 0);
  await assertNoViolations(corporate.page, "corporate account");
  await corporate.page.context().close();
});

/** Places an order of one more seat on sub_1 through the API; answers the order's id. */
async function addSeat(base, token) {
  const account = (await api(base, token, "GET", "/api/v1/account")).body;
  const seats = account.subscriptions.find((s) => s.id === "sub_1").seats + 1;
  const order = { items: [{ op: "change", subscription: "sub_1", seats }] };
  const quote = await api(base, token, "POST", "/api/v1/quote", order);
  assert.equal(quote.status, 200, JSON.stringify(quote.body));
  const res = await fetch(`${base}/api/v1/orders`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${token}`,
      "Content-Type": "application/json",
      "Idempotency-Key": `account-test-${seats}`,
    },
    body: JSON.stringify({ ...order, expected_total: quote.body.total, payment_method: "pm_1" }),
  });
  const placed = await res.json();
  assert.equal(res.status, 201, JSON.stringify(placed));
  return placed.id;
}

test("an edited address is on new receipts, not on older ones; the VAT id is checked next to its field (R27, R21)", async (t) => {
  const { base } = await ownServer(t);
  const { page, token } = await openAccount(base, USERS.giulia);
  const older = await addSeat(base, token);

  await page.fill("#bi-line1", "Corso Francia 10");
  await page.fill("#bi-city", "Torino");
  await page.fill("#bi-postal_code", "101");
  await page.fill("#bi-vat_id", "IT00743110158");
  // R21: the check digit is told next to the field as it is typed.
  assert.match(plain(await page.textContent("#bi-vat_id-check")), /cifra di controllo/);
  assert.equal(await page.getAttribute("#bi-vat_id", "aria-invalid"), "true");
  await page.getByRole("button", { name: "Salva i dati di fatturazione" }).click();
  assert.equal(await message(page, "info-message"), "Correggi i campi segnalati.");
  assert.match(plain(await page.textContent("#bi-postal_code-check")), /cinque cifre/);
  await assertNoViolations(page, "billing information with errors");
  await screenshot(page, "15-billing-information-checks");
  await page.fill("#bi-postal_code", "10138");
  await page.fill("#bi-vat_id", "IT00743110157");
  assert.equal(plain(await page.textContent("#bi-vat_id-check")), "Formato valido.");
  await page.getByRole("button", { name: "Salva i dati di fatturazione" }).click();
  assert.equal(await message(page, "info-message"), "Dati di fatturazione salvati.");

  const info = (await api(base, token, "GET", "/api/v1/account/billing-info")).body;
  assert.equal(info.address.city, "Torino");
  assert.equal(info.vat_id, "IT00743110157");
  const newer = await addSeat(base, token);
  const receipt = async (id) => (await api(base, token, "GET", `/api/v1/orders/${id}`)).body;
  assert.equal((await receipt(newer)).billing_info.address.city, "Torino");
  assert.notEqual((await receipt(older)).billing_info?.address?.city, "Torino");
  // The receipts as the customer sees them: the newer one is billed to the new address, the
  // older one to what the account had when it was placed.
  const billedTo = async (id) => {
    await page.goto(`${base}/billing/orders/${id}`);
    await page.waitForSelector("#billed-to");
    return plain(await page.textContent("#billed-to"));
  };
  assert.match(await billedTo(newer), /Intestata a\s*Rossi S\.r\.l\., Corso Francia 10, 10138 Torino, IT00743110157/);
  const before = await billedTo(older);
  assert.match(before, /Rossi S\.r\.l\./);
  assert.doesNotMatch(before, /Torino/);
  await assertNoViolations(page, "a receipt with its billing information");
  await page.context().close();
});
