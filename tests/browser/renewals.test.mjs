// Issue 15: renewals in the billing history (an account page, S107) with their printable receipt
// (R28), and "Paga ora" on a renewal whose charge failed (R31, S75). Each test starts its own
// server on its own data: the renewal worker charges at start what is due on the server's fixed
// day, so a renewal is made by starting the server on the day the demo meeting subscription's
// period ends (2026-12-01).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { api, apiToken, assertNoViolations, launchBrowser, openApp, screenshot, signIn, USERS } from "./harness.mjs";
import { heading, plain } from "./flows.mjs";
import { startServer } from "./server.mjs";

/** The renewal of the demo meeting subscription (sub_1) due on 2026-12-01 (S71). */
const MEETING = "ren_sub_1_20261201";
const requires = [
  ["index.html", "trunk build --release"],
  ["account/index.html", "scripts/build-widget.sh"],
];

/**
 * The history's entry `id` through the API, once the renewal worker (which runs at the
 * server's start, beside the requests) has recorded it with a status other than `pending`.
 */
async function settledEntry(base, token, id) {
  for (;;) {
    const res = await api(base, token, "GET", "/api/v1/orders");
    assert.equal(res.status, 200);
    const entry = res.body.orders.find((e) => e.id === id);
    if (entry && entry.status !== "pending") return entry;
    await new Promise((wait) => setTimeout(wait, 100));
  }
}

/** A server on `clock` (reusing the database in `dataDir`, if given) and a browser. */
async function start(t, clock, dataDir) {
  const server = await startServer({ clock, demo: true, requires, dataDir });
  t.after(() => server.stop());
  const browser = await launchBrowser();
  t.after(() => browser.close());
  return { server, browser };
}

/** Signs Giulia in and opens the billing history from the overview. */
async function openHistory(browser, base) {
  const page = await openApp(browser, base);
  await signIn(page, USERS.giulia);
  await heading(page, "Centro fatturazione");
  await page.getByRole("button", { name: "Visualizza tutta l'attività" }).click();
  await heading(page, "Cronologia di fatturazione");
  return page;
}

/** Waits for a renewal's receipt to be shown under the heading `title`. */
async function receipt(page, title) {
  await heading(page, title);
  await page.waitForSelector("#receipt-status");
}

test("a renewal charged on its date is in the history, with a receipt of its own to print", async (t) => {
  const { server, browser } = await start(t, "2026-12-01");
  const token = await apiToken(server.base, USERS.giulia);
  assert.equal((await settledEntry(server.base, token, MEETING)).status, "paid");

  const page = await openHistory(browser, server.base);
  assert.equal(new URL(page.url()).pathname, "/account/history");
  const row = plain(await page.locator("table.history tr", { hasText: MEETING }).textContent());
  assert.match(row, /Rinnovo: Meeting × 5/);
  assert.match(row, /85,40 €/);
  assert.match(row, /Pagato/);
  await assertNoViolations(page, "the billing history with a renewal");
  await screenshot(page, "15-history");

  await page.getByRole("link", { name: `Ricevuta del rinnovo ${MEETING}` }).click();
  await receipt(page, "Ricevuta");
  assert.equal(new URL(page.url()).pathname, `/account/renewals/${MEETING}`);
  const text = plain(await page.textContent("main"));
  assert.match(text, new RegExp(`Rinnovo ${MEETING}`));
  assert.match(text, /Rossi S\.r\.l\./);
  assert.match(text, /Rinnovo di Meeting, 5 licenze a 14,00 € per licenza, dal 1 dic 2026 al 1 gen 2027/);
  assert.match(text, /IVA 22%\s*15,40 €/);
  assert.match(text, /Totale pagato\s*85,40 €/);
  assert.match(text, /Pagato con Visa che termina con 4242/);
  assert.doesNotMatch(text, /Paga ora/, "a paid renewal has nothing to pay");
  await assertNoViolations(page, "a renewal's receipt");
  await screenshot(page, "15-renewal-receipt");

  // Printing: the button asks the browser to print, and the print layout leaves the buttons out.
  await page.evaluate(() => {
    window.printed = 0;
    window.print = () => (window.printed += 1);
  });
  await page.getByRole("button", { name: "Stampa" }).click();
  assert.equal(await page.evaluate(() => window.printed), 1);
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.getByRole("button", { name: "Stampa" }).isVisible(), false);
  await page.emulateMedia({ media: "screen" });

  // In English after a reload at the receipt's own address.
  await page.getByRole("button", { name: "Switch to English" }).click();
  await page.reload();
  await receipt(page, "Receipt");
  assert.match(plain(await page.textContent("main")), /Renewal of Meeting, 5 seats at €14\.00 per seat/);
  assert.equal(await page.title(), "Receipt · Billing Center");
  await page.getByRole("link", { name: "Back to the billing history" }).click();
  await heading(page, "Billing history");
  assert.deepEqual(page.errors, []);
});

test("a declined renewal is settled with \"Paga ora\" and another card", async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), "checkout-renewals-"));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  // The day before the period ends, the declining card (…0002) becomes the default; the server
  // started again on the due day then tries it and fails (R31).
  const before = await startServer({ clock: "2026-11-30", demo: true, requires, dataDir });
  try {
    const token = await apiToken(before.base, USERS.giulia);
    const made = await api(before.base, token, "PUT", "/api/v1/payment-methods/pm_2/default");
    assert.equal(made.status, 200);
  } finally {
    await before.stop();
  }
  const { server, browser } = await start(t, "2026-12-01", dataDir);
  const token = await apiToken(server.base, USERS.giulia);
  assert.equal((await settledEntry(server.base, token, MEETING)).status, "payment_failed");

  const page = await openHistory(browser, server.base);
  const row = plain(await page.locator("table.history tr", { hasText: MEETING }).textContent());
  assert.match(row, /Pagamento non riuscito: nuovo tentativo il 2 dic 2026/);
  // The row offers to pay it now.
  await page.getByRole("link", { name: `Paga ora il rinnovo ${MEETING}` }).click();
  await receipt(page, "Ricevuta");
  // The default card is the one offered first.
  await page.waitForSelector("#pay-card");
  assert.equal(await page.inputValue("#pay-card"), "pm_2");
  await assertNoViolations(page, "a failed renewal's receipt with Paga ora");
  await screenshot(page, "15-paga-ora");

  // The default card again: declined, said, and nothing changes.
  await page.click("#pay-now");
  await page.waitForFunction(() => document.querySelector("#pay-message")?.textContent?.includes("rifiutata"));
  assert.equal((await settledEntry(server.base, token, MEETING)).status, "payment_failed");

  // Another card of the account: paid, and the receipt says so.
  await page.selectOption("#pay-card", "pm_1");
  await page.click("#pay-now");
  await page.waitForFunction(() => document.querySelector("#receipt-status")?.textContent?.trim() === "Pagato");
  const text = plain(await page.textContent("main"));
  assert.match(text, /Pagamento riuscito: il rinnovo è pagato/);
  assert.match(text, /Pagato con Visa che termina con 4242/);
  assert.equal(await page.locator("#pay-now").count(), 0);
  const paid = await settledEntry(server.base, token, MEETING);
  assert.equal(paid.status, "paid");
  assert.deepEqual(paid.card, { brand: "visa", last4: "4242" });
  // The refused payment's answer (402) is the one console error the browser reports.
  assert.deepEqual(page.errors.filter((e) => !/402/.test(e)), []);
});

test("a user who is not the billing contact sees the history but cannot pay; a corporate account gets the portal", async (t) => {
  const { server, browser } = await start(t, "2026-12-01");
  const token = await apiToken(server.base, USERS.giulia);
  await settledEntry(server.base, token, MEETING);
  const page = await openApp(browser, server.base);
  await signIn(page, USERS.marco);
  await page.goto(`${server.base}/account/renewals/${MEETING}`);
  await receipt(page, "Ricevuta");
  assert.equal(await page.locator("#pay-now").count(), 0);
  await page.goto(`${server.base}/account/renewals/ren_none`);
  await page.waitForFunction(() => document.querySelector("[role=alert]")?.textContent?.includes("non è nella cronologia"));
  assert.deepEqual(page.errors.filter((e) => !/404/.test(e)), []);
  await page.context().close();

  // R2: the corporate account's history and receipts are in the Corporate Billing Portal.
  const corporate = await openApp(browser, server.base);
  await signIn(corporate, USERS.corporate);
  for (const path of ["/account/history", `/account/renewals/${MEETING}`]) {
    await corporate.goto(server.base + path);
    await corporate.waitForSelector("#role-title");
    assert.match(plain(await corporate.textContent("main")), /Portale di fatturazione Corporate/);
    assert.equal(await corporate.locator("table.history").count(), 0);
  }
  await assertNoViolations(corporate, "the corporate account's history address");
  await corporate.context().close();
});
