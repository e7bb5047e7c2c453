// Roles and states (R1, R2, R15), adding products (R10, R11), the cart (one item per product,
// replacement notice, kept across reloads), cancel, the R4 downgrade message, layouts.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  api, apiToken, assertNoViolations, openApp, screenshot, signIn, USERS, useServerAndBrowser,
} from "./harness.mjs";
import { amountDue, heading, menu, orders, plain } from "./flows.mjs";

const app = useServerAndBrowser();

test("a user who is not the billing contact sees the account read-only, naming the billing contact (R1)", async () => {
  const page = await openApp(app.browser, app.server.base);
  await signIn(page, USERS.marco);
  await heading(page, "Centro fatturazione");
  const text = plain(await page.textContent("main"));
  assert.match(text, /Solo consultazione/);
  assert.match(text, /giulia\.rossi@example\.com/);
  assert.equal(await page.getByRole("button", { name: /^Opzioni/ }).count(), 0);
  assert.equal(await page.getByRole("button", { name: "Aggiungi nuovo abbonamento" }).count(), 0);
  await assertNoViolations(page, "read-only overview");
  await screenshot(page, "09-read-only");
  await page.context().close();
});

test("a corporate account is sent to the Corporate Billing Portal (R2)", async () => {
  const page = await openApp(app.browser, app.server.base);
  await signIn(page, USERS.corporate);
  await heading(page, "Centro fatturazione");
  assert.match(plain(await page.textContent("main")), /Portale di fatturazione Corporate/);
  assert.equal(await page.getByRole("button", { name: /^Opzioni/ }).count(), 0);
  await assertNoViolations(page, "corporate overview");
  await page.context().close();
});

test("an account whose subscriptions all expired opens on plan selection and reactivates (R15)", async () => {
  const page = await openApp(app.browser, app.server.base);
  await signIn(page, USERS.expired);
  await heading(page, "Selezione del piano: Meeting");
  assert.match(plain(await page.textContent("main")), /Le tue sottoscrizioni sono scadute/);
  await page.check("#tier-business");
  await page.check("#freq-annual");
  assert.match(plain(await page.textContent(".saving")), /risparmi/);
  await assertNoViolations(page, "plan selection");
  await screenshot(page, "10-plan-selection-expired");
  await page.getByRole("button", { name: "Completa la transazione" }).click();
  await heading(page, "Completa transazione");
  assert.match(await amountDue(page), /€$/);
  // The demo account has no card on file (R20): the page says who can add one, and the order
  // cannot be placed without it.
  assert.match(plain(await page.textContent("#no-payment-method")), /Assistenza clienti/);
  assert.equal(await page.isDisabled("#place-order"), true);
  await assertNoViolations(page, "review without a payment method");
  await page.context().close();
});

test("a trial starts from 'Aggiungi nuovo abbonamento' and shows its confirmation (R11)", async () => {
  const page = await openApp(app.browser, app.server.base);
  await signIn(page, USERS.giulia);
  await page.getByRole("button", { name: "Aggiungi nuovo abbonamento" }).click();
  await heading(page, "Aggiungi nuovo abbonamento");
  // Products held are not offered again (R3).
  assert.equal(await page.isDisabled("#product-meeting"), true);
  await page.check("#product-remote-support");
  await page.check("#try-remote-support");
  assert.match(plain(await page.textContent("main")), /Prova gratuita di 14 giorni/);
  await assertNoViolations(page, "add product (trial)");
  await screenshot(page, "11-add-product-trial");
  await page.getByRole("button", { name: "Avvia la prova" }).click();
  await heading(page, "La prova è attiva");
  assert.match(plain(await page.textContent("main")), /29 nov 2026 incluso.*e-mail di benvenuto/);
  await assertNoViolations(page, "trial confirmation");
  await page.getByRole("button", { name: "Torna al Centro fatturazione" }).click();
  await heading(page, "Centro fatturazione");
  assert.match(plain(await page.textContent("main")), /Prova gratuita/);
  await page.context().close();
});

test("the cart: one item per product with a replacement notice, kept across reloads, emptied by the user", async () => {
  const page = await openApp(app.browser, app.server.base);
  await signIn(page, USERS.giulia);
  // First item: with an empty cart, straight to the review page.
  await menu(page, "Webinar", "Disattiva il rinnovo");
  await heading(page, "Completa transazione");
  assert.match(plain(await page.textContent(".summary")), /Rinnovo disattivato per Webinar Lite/);
  // Back to the editors: the primary action is now "Aggiungi al carrello".
  await page.getByRole("button", { name: "Modifica ordine" }).click();
  await heading(page, "Centro fatturazione");
  await menu(page, "Meeting", "Modifica sottoscrizione");
  await page.check("#tier-business");
  const add = page.getByRole("button", { name: "Aggiungi al carrello" });
  await add.click();
  await heading(page, "Centro fatturazione");
  assert.match(plain(await page.textContent(".notice")), /Aggiunto al carrello/);
  assert.equal(await page.locator(".cart-items li").count(), 2);

  // A newer item for webinar replaces the older one, and says so.
  await menu(page, "Webinar", "Modifica sottoscrizione");
  await page.fill("#seats", "2");
  await page.getByRole("button", { name: "Aggiungi al carrello" }).click();
  await heading(page, "Centro fatturazione");
  assert.match(plain(await page.textContent(".notice")), /conteneva già un articolo per Webinar/);
  assert.equal(await page.locator(".cart-items li").count(), 2);
  await assertNoViolations(page, "overview with cart");
  await screenshot(page, "12-overview-with-cart");

  await page.reload();
  await heading(page, "Centro fatturazione");
  assert.equal(await page.locator(".cart-items li").count(), 2, "the cart survives a reload");
  await page.getByRole("button", { name: "Completa la transazione" }).click();
  await heading(page, "Completa transazione");
  assert.equal(await page.locator(".cart-items li").count(), 2);
  // "Modifica ordine" and back returns to the review (issue 12); the review leads back home.
  await page.getByRole("button", { name: "Modifica ordine" }).click();
  await page.getByRole("button", { name: "Indietro" }).click();
  await heading(page, "Completa transazione");
  await page.getByRole("button", { name: "Torna al Centro fatturazione" }).click();
  await page.getByRole("button", { name: "Svuota il carrello" }).click();
  assert.equal(await page.locator(".cart-items li").count(), 0);
  await page.reload();
  await heading(page, "Centro fatturazione");
  assert.equal(await page.locator(".cart-items li").count(), 0);
  await page.context().close();
});

test("after an upgrade the lower tier is disabled with the R4 message and the support contact", async () => {
  const page = await openApp(app.browser, app.server.base);
  await signIn(page, USERS.giulia);
  await menu(page, "Meeting", "Modifica sottoscrizione");
  await page.check("#tier-business");
  await page.getByRole("button", { name: "Completa la transazione" }).click();
  await page.click("#place-order");
  await heading(page, "Ordine effettuato");
  await page.getByRole("button", { name: "Torna al Centro fatturazione" }).click();
  await menu(page, "Meeting", "Modifica sottoscrizione");
  assert.equal(await page.isDisabled("#tier-professional"), true);
  const note = plain(await page.textContent("#downgrade-note"));
  assert.match(note, /contatta l'Assistenza clienti: \+353/);
  await assertNoViolations(page, "editor with a refused downgrade");
  // Cancel, then resume, through the options menu.
  await page.getByRole("button", { name: "Indietro" }).click();
  await menu(page, "Meeting", "Disattiva il rinnovo");
  await page.click("#place-order");
  await heading(page, "Ordine effettuato");
  await page.getByRole("button", { name: "Torna al Centro fatturazione" }).click();
  assert.match(plain(await page.textContent("main")), /In attesa di annullamento/);
  await menu(page, "Meeting", "Riattiva il rinnovo");
  await page.click("#place-order");
  await heading(page, "Ordine effettuato");
  const token = await apiToken(app.server.base, USERS.giulia);
  const account = await api(app.server.base, token, "GET", "/api/v1/account");
  assert.equal(account.body.subscriptions.find((s) => s.product === "meeting").status, "active");
  assert.ok((await orders(api, app.server.base, token)).length >= 4);
  await page.context().close();
});

test("the editor at 360 px wide and the overview in the dark theme have no violations", async () => {
  const page = await openApp(app.browser, app.server.base, { viewport: { width: 360, height: 780 } });
  await signIn(page, USERS.giulia);
  await menu(page, "Webinar", "Modifica sottoscrizione");
  // The stepper (R5): above the maximum it offers contact sales, other text is marked invalid.
  await page.fill("#seats", "300");
  assert.match(plain(await page.textContent("#seats-message")), /Per più di 50 licenze contatta l'Assistenza clienti/);
  await page.fill("#seats", "tre");
  assert.equal(await page.getAttribute("#seats", "aria-invalid"), "true");
  assert.match(plain(await page.textContent("#seats-message")), /Scegli un numero da 1 a 50/);
  await page.fill("#seats", "3");
  assert.equal(await page.getAttribute("#seats", "aria-invalid"), "false");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(overflow, false, "no horizontal scrolling at 360 px");
  await assertNoViolations(page, "editor at 360 px");
  await screenshot(page, "13-editor-360px");
  await page.context().close();

  const dark = await openApp(app.browser, app.server.base, { colorScheme: "dark" });
  await signIn(dark, USERS.giulia);
  await heading(dark, "Centro fatturazione");
  await assertNoViolations(dark, "overview, dark");
  await screenshot(dark, "14-overview-dark");
  await dark.context().close();
});
