// The done-when scenario of issue 4, with the mouse, by keyboard alone, and in English; the
// in-browser preview compared with POST /api/v1/quote; axe-core on every page on the way.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  api, apiToken, assertNoViolations, openApp, screenshot, signIn, USERS, useServerAndBrowser,
} from "./harness.mjs";
import { amountDue, heading, menu, orders, plain, tabTo } from "./flows.mjs";

const app = useServerAndBrowser();

test("Giulia changes meeting to 8 seats, sees 93,94 € with the credit line, places it, finds it in the history", async () => {
  const page = await openApp(app.browser, app.server.base);
  await assertNoViolations(page, "sign-in");
  await screenshot(page, "01-sign-in");
  await signIn(page, USERS.giulia);
  await heading(page, "Centro fatturazione");
  await assertNoViolations(page, "overview");
  await screenshot(page, "02-overview");

  await menu(page, "Meeting", "Modifica sottoscrizione");
  await heading(page, "Modifica sottoscrizione: Meeting");
  // With an empty cart the primary action completes the transaction (the seeds' flow).
  const primary = page.getByRole("button", { name: "Completa la transazione" });
  assert.equal(await primary.isDisabled(), true, "no change yet, nothing to complete");

  await page.fill("#seats", "8");
  await page.waitForFunction(() => document.querySelector("#seats")?.getAttribute("aria-valuenow") === "8");
  assert.equal(await amountDue(page), "93,94 €");
  const credit = plain(await page.textContent(".summary tr.line.credit"));
  assert.match(credit, /^Credito per il tempo non utilizzato: Meeting Professional × 5, 14,00 € per licenza al mese, dal 16 nov 2026 al 1 dic 2026/);
  assert.match(credit, /-35,00 €$/);
  const charge = plain(await page.textContent(".summary tr.line:not(.credit)"));
  assert.match(charge, /^Meeting Professional × 8, 14,00 € per licenza al mese, dal 16 nov 2026 al 16 dic 2026/);
  // The one polite live region announces the new amount due.
  await page.waitForFunction(() => document.querySelector("#live-region")?.textContent?.includes("93,94"));
  assert.equal(await page.locator("[aria-live=polite]").count() >= 1, true);
  await assertNoViolations(page, "plan editor");
  await screenshot(page, "03-plan-editor");

  // The preview equals the server's quote for the same order.
  const token = await apiToken(app.server.base, USERS.giulia);
  const quote = await api(app.server.base, token, "POST", "/api/v1/quote", {
    items: [{ op: "change", subscription: "sub_1", seats: 8 }],
  });
  assert.equal(quote.status, 200);
  const shown = await page.$$eval(".summary .summary-table tr td", (tds) => tds.map((td) => td.textContent));
  const expected = await page.evaluate((q) => {
    const f = new Intl.NumberFormat("it-IT", { style: "currency", currency: q.currency });
    return [...q.lines.map((l) => l.amount), q.subtotal, q.tax.amount, q.total, q.amount_due].map((a) => f.format(a));
  }, quote.body);
  assert.deepEqual(shown.map(plain), expected.map(plain));

  await primary.click();
  await heading(page, "Completa transazione");
  assert.match(plain(await page.textContent("main")), /Il nuovo periodo di fatturazione inizia oggi, 16 nov 2026/);
  assert.equal(await amountDue(page), "93,94 €");
  assert.equal(await page.isChecked("#pm-pm_1"), true);
  await assertNoViolations(page, "review");
  await screenshot(page, "04-review");

  await page.click("#place-order");
  await heading(page, "Ordine effettuato");
  assert.equal(plain(await page.textContent("#total-paid")), "93,94 €");
  const confirmation = plain(await page.textContent("main"));
  assert.match(confirmation, /Riceverai un'e-mail di conferma/);
  assert.match(confirmation, /non dimenticare di assegnarle ai tuoi utenti/);
  await assertNoViolations(page, "confirmation");
  await screenshot(page, "05-confirmation");

  await page.getByRole("button", { name: "Visualizza tutta l'attività" }).click();
  await heading(page, "Cronologia di fatturazione");
  const placed = await orders(api, app.server.base, token);
  assert.equal(placed.length, 1);
  assert.equal(placed[0].amount_due, "93.94");
  const history = plain(await page.textContent("table.history"));
  assert.match(history, new RegExp(placed[0].id));
  assert.match(history, /93,94 €/);
  await assertNoViolations(page, "history");
  await screenshot(page, "06-history");

  await page.getByRole("link", { name: `Ricevuta dell'ordine ${placed[0].id}` }).click();
  await heading(page, "Ricevuta");
  assert.match(plain(await page.textContent("main")), /Rossi S\.r\.l\./);
  await assertNoViolations(page, "receipt");
  await screenshot(page, "07-receipt");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("the same by keyboard alone: a seat change with the arrow keys, placed and found in the history", async () => {
  // A fresh server state is not needed: Marco's account is untouched, but Giulia's meeting is
  // now 8 seats from the first test, so this test changes webinar instead and checks its amount
  // against the server's quote.
  const page = await openApp(app.browser, app.server.base);
  await tabTo(page, "#email");
  await page.keyboard.type(USERS.giulia.email);
  await page.keyboard.press("Tab");
  await page.keyboard.type(USERS.giulia.password);
  await page.keyboard.press("Enter");
  await heading(page, "Centro fatturazione");

  await tabTo(page, "button[aria-label='Opzioni per Webinar']");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Modifica sottoscrizione");
  await page.keyboard.press("Enter");
  await heading(page, "Modifica sottoscrizione: Webinar");

  await tabTo(page, "#seats");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("End");
  await page.keyboard.press("Home");
  await page.keyboard.press("PageUp");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.getAttribute("#seats", "aria-valuenow"), "10");
  await page.keyboard.press("PageDown");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  assert.equal(await page.getAttribute("#seats", "aria-valuenow"), "3");
  // Focus stayed on the stepper through every re-render.
  assert.equal(await page.evaluate(() => document.activeElement.id), "seats");

  const token = await apiToken(app.server.base, USERS.giulia);
  const quote = await api(app.server.base, token, "POST", "/api/v1/quote", {
    items: [{ op: "change", subscription: "sub_2", seats: 3 }],
  });
  const due = await page.evaluate(
    (a) => new Intl.NumberFormat("it-IT", { style: "currency", currency: "EUR" }).format(a),
    quote.body.amount_due,
  );
  assert.equal(await amountDue(page), plain(due));
  await page.waitForFunction((d) => document.querySelector("#live-region")?.textContent?.includes(d), due);

  await tabTo(page, "button.primary");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Completa la transazione");
  await page.keyboard.press("Enter");
  await heading(page, "Completa transazione");
  await tabTo(page, "#place-order");
  await page.keyboard.press("Enter");
  await heading(page, "Ordine effettuato");
  assert.equal(plain(await page.textContent("#total-paid")), plain(due));
  await tabTo(page, "button.secondary");
  await page.keyboard.press("Enter");
  await heading(page, "Cronologia di fatturazione");
  const placed = await orders(api, app.server.base, token);
  assert.equal(placed.length, 2);
  assert.match(await page.textContent("table.history"), new RegExp(placed[0].id));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
