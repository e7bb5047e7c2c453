// Issue 12, item 4: confirmations, receipts and the history say what was bought, in words and in
// both languages: product and tier with the price per seat, a cancellation and a resume as such
// (no new billing period), a trial until its last day, and plurals by the language's rules.
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertNoViolations, openApp, screenshot, signIn, USERS, useServerAndBrowser } from "./harness.mjs";
import { heading, menu, plain } from "./flows.mjs";

const app = useServerAndBrowser();

/** Opens the receipt of the newest order from the history and returns its text. */
async function newestReceipt(page, title = "Ricevuta") {
  await page.locator("table.history tbody tr").first().getByRole("link").click();
  await heading(page, title);
  return plain(await page.textContent("main"));
}

test("a change, a cancel, a resume and a trial, each told in words, in Italian and English", async () => {
  const page = await openApp(app.browser, app.server.base);
  await signIn(page, USERS.giulia);
  await heading(page, "Centro fatturazione");

  // A change: meeting to Business, 8 seats.
  await menu(page, "Meeting", "Modifica sottoscrizione");
  // Item 5: the catalog's features in the page's language.
  assert.match(plain(await page.textContent(".tier-cards")), /Riunioni fino a 250 partecipanti/);
  await page.check("#tier-business");
  await page.fill("#seats", "8");
  await page.waitForFunction(() => document.querySelector("#seats")?.getAttribute("aria-valuenow") === "8");
  await page.getByRole("button", { name: "Completa la transazione" }).click();
  await heading(page, "Completa transazione");
  await page.click("#place-order");
  await heading(page, "Ordine effettuato");
  let text = plain(await page.textContent("main"));
  assert.match(text, /Meeting Business × 8, 19,00 € per licenza al mese, dal 16 nov 2026 al 16 dic 2026/);
  assert.match(text, /Credito per il tempo non utilizzato: Meeting Professional × 5, 14,00 € per licenza al mese/);
  await assertNoViolations(page, "the confirmation of a change");
  await screenshot(page, "issue12-confirmation-change");

  // A cancellation: no new period, the service's last day.
  await page.getByRole("button", { name: "Torna al Centro fatturazione" }).click();
  await menu(page, "Webinar", "Disattiva il rinnovo");
  await heading(page, "Completa transazione");
  await page.click("#place-order");
  await heading(page, "Ordine effettuato");
  text = plain(await page.textContent("main"));
  assert.match(text, /Rinnovo disattivato per Webinar Lite × 1: servizio fino al 4 dic 2026 incluso/);
  assert.doesNotMatch(text, /nuovo periodo/i);

  // A resume, in English: it does not claim a new billing period.
  await page.getByRole("button", { name: "Torna al Centro fatturazione" }).click();
  await page.getByRole("button", { name: "Switch to English" }).click();
  await menu(page, "Webinar", "Turn renewal back on");
  await heading(page, "Complete transaction");
  await page.click("#place-order");
  await heading(page, "Order placed");
  text = plain(await page.textContent("main"));
  assert.match(text, /Renewal back on for Webinar Lite × 1: no charge, renews on Dec 5, 2026/);
  assert.doesNotMatch(text, /new billing period/i);
  await screenshot(page, "issue12-confirmation-resume-en");

  // A trial, in English: a trial until its last day (14 days from 16 Nov end on 30 Nov, S17).
  await page.getByRole("button", { name: "Back to the Billing Center" }).click();
  await page.getByRole("button", { name: "Add new subscription" }).click();
  await page.check("#product-remote-support");
  await page.check("#try-remote-support");
  await page.getByRole("button", { name: "Start the trial" }).click();
  await heading(page, "Your trial has started");
  assert.match(plain(await page.textContent("main")), /Your free trial of Remote Support Standard runs until Nov 29, 2026 included/);

  // The history describes each order; the trial's receipt says it is a trial until its last day.
  await page.getByRole("button", { name: "Back to the Billing Center" }).click();
  await page.getByRole("button", { name: "View all activity" }).click();
  await heading(page, "Billing history");
  const history = plain(await page.textContent("table.history"));
  assert.match(history, /Free trial: Remote Support Standard/);
  assert.match(history, /Renewal turned back on: Webinar Lite/);
  assert.match(history, /Renewal turned off: Webinar Lite/);
  assert.match(history, /Change: Meeting Business × 8/);
  text = await newestReceipt(page, "Receipt");
  assert.match(text, /Free trial of Remote Support Standard, 1 seat, until Nov 29, 2026 included/);

  // Back in Italian: the change's receipt, and a plural of one.
  await page.getByRole("button", { name: "Passa all'italiano" }).click();
  await page.getByRole("button", { name: "Indietro" }).click();
  await heading(page, "Cronologia di fatturazione");
  assert.match(plain(await page.textContent("table.history")), /Prova gratuita: Remote Support Standard/);
  await page.locator("table.history tbody tr").last().getByRole("link").click();
  await heading(page, "Ricevuta");
  text = plain(await page.textContent("main"));
  assert.match(text, /Meeting Business × 8, 19,00 € per licenza al mese, dal 16 nov 2026 al 16 dic 2026/);
  await assertNoViolations(page, "a receipt");

  // "1 articolo nel carrello": the cart counts with the language's plural rule.
  await page.getByRole("button", { name: "Indietro" }).click();
  await heading(page, "Cronologia di fatturazione");
  await page.getByRole("link", { name: "Torna al Centro fatturazione" }).click();
  await menu(page, "Meeting", "Modifica sottoscrizione");
  await page.fill("#seats", "9");
  await page.waitForFunction(() => document.querySelector("#seats")?.getAttribute("aria-valuenow") === "9");
  await page.getByRole("button", { name: "Completa la transazione" }).click();
  await heading(page, "Completa transazione");
  await page.getByRole("button", { name: "Torna al Centro fatturazione" }).click();
  await heading(page, "Centro fatturazione");
  assert.match(plain(await page.textContent(".cart")), /1 articolo nel carrello/);
  // The trial's card counts its seat with the singular.
  assert.match(plain(await page.textContent("main")), /Licenze\s*1 licenza/);
  await page.getByRole("button", { name: "Switch to English" }).click();
  assert.match(plain(await page.textContent(".cart")), /1 item in the cart/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
