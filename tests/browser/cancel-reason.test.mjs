// Issue 15, item 5: the optional reason of a renewal turned off (R29, S55, S106), asked on the
// review page, kept with the cart item through a reload, sent with the cancel item and stored
// with the order. Each test starts its own server, so none relies on orders another placed.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  api,
  apiToken,
  assertNoViolations,
  launchBrowser,
  openApp,
  screenshot,
  signIn,
  startServer,
  USERS,
} from "./harness.mjs";
import { heading, menu, plain, tabTo } from "./flows.mjs";

/** A server and a browser of this test only, stopped after it. */
async function start(t) {
  const server = await startServer();
  t.after(() => server.stop());
  const browser = await launchBrowser();
  t.after(() => browser.close());
  return { server, browser };
}

/** Turns Giulia's Webinar renewal off: the review page of that one cancel item. */
async function reviewWebinarCancel(server, browser) {
  const page = await openApp(browser, server.base);
  await signIn(page, USERS.giulia);
  await heading(page, "Centro fatturazione");
  await menu(page, "Webinar", "Disattiva il rinnovo");
  await heading(page, "Completa transazione");
  return page;
}

/** Places the order under review; the order as `GET /api/v1/orders/{id}` answers it. */
async function placeAndRead(page, server) {
  await page.click("#place-order");
  await heading(page, "Ordine effettuato");
  const id = new URL(page.url()).pathname.match(/^\/billing\/orders\/([^/]+)\/confirmation$/)?.[1];
  assert.ok(id, `the confirmation's address names the order: ${page.url()}`);
  const token = await apiToken(server.base, USERS.giulia);
  const order = await api(server.base, token, "GET", `/api/v1/orders/${id}`);
  assert.equal(order.status, 200);
  return order.body;
}

test("a reason and a note, kept through a reload, are stored with the order", async (t) => {
  const { server, browser } = await start(t);
  const page = await reviewWebinarCancel(server, browser);

  // One labelled group naming the subscription, the choice first with "no answer" chosen.
  const group = page.getByRole("group", { name: "Webinar: perché disattivi il rinnovo? (facoltativo)" });
  const reason = group.getByLabel("Motivo");
  // The same fields whatever the language, for after the switch to English.
  const fields = { reason: page.locator("select[id^=reason-code-]"), note: page.locator("textarea[id^=reason-text-]") };
  assert.equal(await reason.inputValue(), "");
  assert.deepEqual(await reason.locator("option").allTextContents(), [
    "Nessuna risposta",
    "Costa troppo",
    "Mancano funzioni",
    "Passo a un altro prodotto",
    "Non lo uso",
    "Altro",
  ]);
  const note = group.getByLabel("Note (facoltative, al massimo 500 caratteri)");
  assert.equal(await note.getAttribute("maxlength"), "500");

  // With the keyboard: Tab to the choice, pick with the arrow keys, Tab to the note and type.
  await tabTo(page, "select[id^=reason-code-]");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), "TEXTAREA");
  await page.keyboard.type("Il budget è finito.");
  await page.keyboard.press("Tab");
  assert.equal(await reason.inputValue(), "too_expensive");

  // The cart keeps it (S92): the reloaded review shows the same answers.
  await page.reload();
  await heading(page, "Completa transazione");
  assert.equal(await reason.inputValue(), "too_expensive");
  assert.equal(await note.inputValue(), "Il budget è finito.");
  await assertNoViolations(page, "the review of a renewal turned off, with its reason");
  await screenshot(page, "issue15-cancel-reason");

  // In English too.
  await page.getByRole("button", { name: "Switch to English" }).click();
  await page.getByRole("group", { name: "Webinar: why are you turning renewal off? (optional)" }).waitFor();
  assert.equal(plain(await page.locator("label[for^=reason-text-]").textContent()), "Notes (optional, at most 500 characters)");
  assert.equal(plain(await fields.reason.locator("option:checked").textContent()), "Too expensive");
  assert.equal(await fields.note.inputValue(), "Il budget è finito.");
  await page.getByRole("button", { name: "Passa all'italiano" }).click();

  const order = await placeAndRead(page, server);
  assert.deepEqual(order.cancellation_reasons, [
    { item: 0, subscription: "sub_2", code: "too_expensive", text: "Il budget è finito." },
  ]);
  assert.deepEqual(page.errors, []);
});

test("a note alone is sent as 'other'; no answer sends no reason", async (t) => {
  const { server, browser } = await start(t);
  const page = await reviewWebinarCancel(server, browser);
  const bodies = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname === "/api/v1/orders") {
      bodies.push(request.postDataJSON());
    }
  });
  const note = page.getByLabel("Note (facoltative, al massimo 500 caratteri)");

  // A note written and then cleared again leaves no reason in the stored cart (S51).
  const storedCart = () =>
    page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith("checkout.cart."));
      return JSON.parse(localStorage.getItem(key)).request.items;
    });
  await note.fill("ci ripenso");
  await note.blur();
  assert.deepEqual(await storedCart(), [
    { op: "cancel", subscription: "sub_2", reason: { code: "other", text: "ci ripenso" } },
  ]);
  await note.fill("  ");
  await note.blur();
  assert.deepEqual(await storedCart(), [{ op: "cancel", subscription: "sub_2" }]);
  await note.fill("Chiudiamo l'ufficio di Torino.");
  await note.blur();

  const order = await placeAndRead(page, server);
  assert.deepEqual(bodies.map((body) => body.items), [
    [{ op: "cancel", subscription: "sub_2", reason: { code: "other", text: "Chiudiamo l'ufficio di Torino." } }],
  ]);
  assert.deepEqual(order.cancellation_reasons, [
    { item: 0, subscription: "sub_2", code: "other", text: "Chiudiamo l'ufficio di Torino." },
  ]);

  // Meeting turned off with nothing chosen or written: the order carries no reason.
  await page.getByRole("button", { name: "Torna al Centro fatturazione" }).click();
  await menu(page, "Meeting", "Disattiva il rinnovo");
  await heading(page, "Completa transazione");
  const plainOrder = await placeAndRead(page, server);
  assert.equal(bodies.length, 2);
  assert.deepEqual(bodies[1].items, [{ op: "cancel", subscription: "sub_1" }]);
  assert.equal(plainOrder.cancellation_reasons, undefined);
  assert.deepEqual(page.errors, []);
});

test("a cancel item removed on the review page takes its reason along", async (t) => {
  const { server, browser } = await start(t);
  const page = await reviewWebinarCancel(server, browser);
  await page.getByLabel("Motivo").selectOption("switching");
  // Meeting turned off too, from the overview: two groups, one per subscription.
  await page.getByRole("button", { name: "Torna al Centro fatturazione" }).click();
  await menu(page, "Meeting", "Disattiva il rinnovo");
  await page.getByRole("button", { name: "Completa la transazione" }).click();
  await heading(page, "Completa transazione");
  const meeting = page.getByRole("group", { name: "Meeting: perché disattivi il rinnovo? (facoltativo)" });
  const webinar = page.getByRole("group", { name: "Webinar: perché disattivi il rinnovo? (facoltativo)" });
  assert.equal(await webinar.getByLabel("Motivo").inputValue(), "switching");
  await meeting.getByLabel("Note (facoltative, al massimo 500 caratteri)").fill("Usiamo un'altra sala.");
  await meeting.getByLabel("Motivo").focus();

  await page.getByRole("button", { name: /^Rimuovi.*Webinar/ }).click();
  await webinar.waitFor({ state: "detached" });
  assert.equal(await meeting.getByLabel("Note (facoltative, al massimo 500 caratteri)").inputValue(), "Usiamo un'altra sala.");
  const items = await page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith("checkout.cart."));
    return JSON.parse(localStorage.getItem(key)).request.items;
  });
  assert.deepEqual(items, [
    { op: "cancel", subscription: "sub_1", reason: { code: "other", text: "Usiamo un'altra sala." } },
  ]);
  assert.deepEqual(page.errors, []);
});
