// Issue 12, items 3 and 7: every screen has a way back, an expired account without a card learns
// it at the start of reactivation, and the small things a careful checkout gets right (support
// links, the focus after a declined card, VAT id messages, the empty review, "Modifica ordine",
// the history on a phone, no integrity warning on the preloads).
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertNoViolations, openApp, screenshot, signIn, USERS, useServerAndBrowser } from "./harness.mjs";
import { heading, menu, plain } from "./flows.mjs";

const app = useServerAndBrowser();

test("an expired account without a card learns it when reactivation starts", async () => {
  const page = await openApp(app.browser, app.server.base);
  await signIn(page, USERS.expired);
  await heading(page, "Selezione del piano: Meeting");
  const notice = plain(await page.textContent("#no-card"));
  assert.match(notice, /Non ci sono metodi di pagamento in archivio: per aggiungerne uno contatta l'Assistenza clienti/);
  assert.equal(await page.locator('#no-card a[href^="tel:+353"]').count(), 1);
  assert.equal(await page.locator('#no-card a[href^="https://"]').count(), 1);
  await page.context().close();
});

test("the ways back, the support links, the VAT id messages, a declined card and the empty review", async () => {
  const page = await openApp(app.browser, app.server.base, { viewport: { width: 360, height: 800 } });
  const warnings = [];
  page.on("console", (msg) => {
    if (msg.type() === "warning") warnings.push(msg.text());
  });
  await page.reload();
  await page.waitForSelector("#email");
  await signIn(page, USERS.giulia);
  await heading(page, "Centro fatturazione");
  assert.equal(await page.locator('.account-facts a[href^="tel:"]').count(), 1);
  assert.equal(await page.locator('.account-facts a[href="https://support.example.com/billing"]').count(), 1);

  // "Aggiungi nuovo abbonamento" has a way back before a product is chosen.
  await page.getByRole("button", { name: "Aggiungi nuovo abbonamento" }).click();
  await heading(page, "Aggiungi nuovo abbonamento");
  await page.getByRole("button", { name: "Indietro" }).click();
  await heading(page, "Centro fatturazione");

  // A change in the cart, reviewed.
  await menu(page, "Meeting", "Modifica sottoscrizione");
  await page.fill("#seats", "7");
  await page.waitForFunction(() => document.querySelector("#seats")?.getAttribute("aria-valuenow") === "7");
  await page.getByRole("button", { name: "Completa la transazione" }).click();
  await heading(page, "Completa transazione");

  // "Modifica ordine" comes back to the review after saving.
  await page.getByRole("button", { name: "Modifica ordine" }).click();
  await heading(page, "Modifica sottoscrizione: Meeting");
  await page.fill("#seats", "6");
  await page.waitForFunction(() => document.querySelector("#seats")?.getAttribute("aria-valuenow") === "6");
  await page.getByRole("button", { name: "Aggiorna l'ordine" }).click();
  await heading(page, "Completa transazione");
  assert.match(plain(await page.textContent(".cart-items")), /Professional × 6/);

  // VAT ids: a wrong check digit and a wrong format are told apart; the payment and the rest of
  // the summary stay.
  await page.fill("#vat-id", "IT00743110158");
  await page.waitForFunction(() => document.querySelector("#vat-id")?.getAttribute("aria-invalid") === "true");
  assert.match(plain(await page.textContent("#vat-message")), /La cifra di controllo della partita IVA è sbagliata/);
  assert.equal(await page.locator("fieldset.payment").count(), 1);
  assert.equal(await page.locator(".summary tr.due").count(), 1);
  assert.equal(await page.isDisabled("#place-order"), true);
  await page.fill("#vat-id", "IT123");
  await page.waitForFunction(() => document.querySelector("#vat-message")?.textContent.includes("formato"));
  assert.match(plain(await page.textContent("#vat-message")), /Il formato della partita IVA non è valido/);
  await screenshot(page, "issue12-review-vat-check-digit-360");
  await page.fill("#vat-id", "");

  // A declined card: the focus moves to the message.
  await page.check("#pm-pm_2");
  await page.click("#place-order");
  await page.waitForSelector("#place-error");
  await page.waitForFunction(() => document.activeElement?.id === "place-error");
  assert.match(plain(await page.textContent("#place-error")), /La carta è stata rifiutata/);
  await screenshot(page, "issue12-declined-360");

  // The review with an empty cart says so and offers the way back.
  await page.getByRole("button", { name: /^Rimuovi / }).click();
  await page.waitForFunction(() => document.querySelector("#review-intro")?.textContent.includes("vuoto"));
  assert.match(plain(await page.textContent("main")), /Il carrello è vuoto: non c'è nulla da completare/);
  assert.equal(await page.isDisabled("#place-order"), true);
  await assertNoViolations(page, "the empty review");
  await screenshot(page, "issue12-review-empty-360");
  await page.getByRole("button", { name: "Torna al Centro fatturazione" }).click();
  await heading(page, "Centro fatturazione");

  assert.deepEqual(warnings.filter((w) => /integrity/i.test(w)), []);
  // The declined order's 402 answer is logged by Chromium as a failed resource; nothing else.
  assert.deepEqual(page.errors.filter((e) => !/status of 402/.test(e)), []);
  await page.context().close();
});

test("the history on a phone shows every column of every order", async () => {
  const page = await openApp(app.browser, app.server.base, { viewport: { width: 360, height: 800 } });
  await signIn(page, USERS.giulia);
  await heading(page, "Centro fatturazione");
  await menu(page, "Webinar", "Disattiva il rinnovo");
  await heading(page, "Completa transazione");
  await page.click("#place-order");
  await heading(page, "Ordine effettuato");
  await page.getByRole("button", { name: "Visualizza tutta l'attività" }).click();
  await heading(page, "Cronologia di fatturazione");
  // The history is an account page of its own (S107): its rows come after its heading.
  await page.waitForSelector("table.history tbody tr");
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the page is ${width} px wide`);
  const cells = page.locator("table.history tbody tr").first().locator("td");
  assert.equal(await cells.count(), 6);
  for (let i = 0; i < (await cells.count()); i++) {
    const box = await cells.nth(i).boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `cell ${i} is in view`);
  }
  assert.match(plain(await page.textContent("table.history")), /Rinnovo disattivato: Webinar Lite/);
  await assertNoViolations(page, "the history on a phone");
  await screenshot(page, "issue12-history-360");
  await page.context().close();
});
