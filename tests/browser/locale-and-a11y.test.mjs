// Issue 14, items 5 to 7: amounts and dates in the browser's locale apart from the texts' language
// (S97), the seat stepper's description and value text, the focus after a removal, a menu action
// and Escape, the notices' live region, the amount due announced once, and the amount due beside
// the primary action on a phone (S98). No test places an order.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertNoViolations, openApp, screenshotDir, signIn, USERS, useServerAndBrowser } from "./harness.mjs";
import { amountDue, heading, menu, plain } from "./flows.mjs";

const app = useServerAndBrowser();

/** Signs Giulia in and opens the change of her Meeting subscription with 8 seats (€93.94 due). */
async function meetingWithEightSeats(page) {
  await signIn(page, USERS.giulia);
  await menu(page, "Meeting", "Modifica sottoscrizione");
  await heading(page, "Modifica sottoscrizione: Meeting");
  await page.fill("#seats", "8");
  await page.waitForFunction(() => document.querySelector("#seats")?.getAttribute("aria-valuenow") === "8");
}

/** What the page's own Intl writes for `locale`: the amount due of 8 seats and the credit's dates. */
function intlIn(page, locale) {
  return page.evaluate((locale) => {
    const date = (iso) =>
      new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(iso));
    return {
      due: new Intl.NumberFormat(locale, { style: "currency", currency: "EUR" }).format("93.94"),
      start: date("2026-11-16"),
      end: date("2026-12-01"),
    };
  }, locale);
}

/** Switches the texts' language with the masthead's button. */
async function switchTo(page, code) {
  await page.click(`.masthead button[lang=${code}]`);
  await page.waitForFunction((code) => document.documentElement.lang === code, code);
}

test("a German browser reads amounts and dates the German way beside Italian or English texts", async () => {
  const page = await openApp(app.browser, app.server.base, { locale: "de-DE" });
  await meetingWithEightSeats(page);
  const german = await intlIn(page, "de-DE");
  assert.equal(german.start, "16.11.2026", "the browser's own German dates");
  assert.equal(await amountDue(page), plain(german.due));
  assert.match(
    plain(await page.textContent(".summary tr.line.credit")),
    new RegExp(`^Credito per il tempo non utilizzato: .* dal ${german.start} al ${german.end}`),
  );
  await assertNoViolations(page, "the plan editor in a German browser");

  // English words, German numbers: "93,94 €", not "€93.94".
  await switchTo(page, "en");
  await page.waitForFunction(() => document.querySelector(".summary tr.due th")?.textContent === "Amount due");
  assert.equal(await amountDue(page), plain(german.due));
  assert.notEqual(await amountDue(page), "€93.94");
  assert.match(
    plain(await page.textContent(".summary tr.line.credit")),
    new RegExp(`^Credit for unused time: .* from ${german.start} to ${german.end}`),
  );
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("a British browser reads British dates in English and Italian ones in Italian", async () => {
  const page = await openApp(app.browser, app.server.base, { locale: "en-GB" });
  await meetingWithEightSeats(page);
  // Italian texts: the switch chose Italian, so Italian numbers (S97).
  const italian = await intlIn(page, "it-IT");
  assert.equal(await amountDue(page), plain(italian.due));
  assert.match(plain(await page.textContent(".summary tr.line.credit")), new RegExp(`dal ${italian.start} al ${italian.end}`));

  await switchTo(page, "en");
  const british = await intlIn(page, "en-GB");
  assert.equal(british.start, "16 Nov 2026", "the browser's own British dates");
  await page.waitForFunction(() => document.querySelector(".summary tr.due th")?.textContent === "Amount due");
  assert.equal(await amountDue(page), "€93.94");
  assert.match(
    plain(await page.textContent(".summary tr.line.credit")),
    /^Credit for unused time: Meeting Professional × 5, €14\.00 per seat per month, from 16 Nov 2026 to 1 Dec 2026/,
  );
  await assertNoViolations(page, "the plan editor in English in a British browser");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("the seat stepper: the range in its description, its message in place, a value text while it holds no count", async () => {
  const page = await openApp(app.browser, app.server.base);
  await meetingWithEightSeats(page);
  const seats = page.locator("#seats");
  assert.equal(await seats.getAttribute("aria-describedby"), "seats-hint seats-message");
  assert.equal(plain(await page.textContent("#seats-hint")), "Da 1 a 250 licenze.");
  assert.equal(await page.textContent("#seats-message"), "");
  assert.equal(await page.getAttribute("#seats-message", "aria-live"), "polite");
  assert.equal(await seats.getAttribute("aria-valuetext"), null);
  // A mark on the element shows it is the same one throughout: only its text changes.
  await page.evaluate(() => {
    document.querySelector("#seats-message").dataset.mark = "kept";
  });

  await seats.fill("abc");
  await page.waitForFunction(() => document.querySelector("#seats")?.getAttribute("aria-invalid") === "true");
  assert.equal(await seats.getAttribute("aria-valuetext"), "abc");
  assert.equal(await seats.getAttribute("aria-valuenow"), "8");
  assert.equal(plain(await page.textContent("#seats-message")), "Scegli un numero da 1 a 250.");

  await seats.fill("");
  await page.waitForFunction(() => document.querySelector("#seats")?.getAttribute("aria-valuetext") !== "abc");
  assert.equal(await seats.getAttribute("aria-valuetext"), "Scegli un numero da 1 a 250.");

  await seats.fill("7");
  await page.waitForFunction(() => document.querySelector("#seats")?.getAttribute("aria-invalid") === "false");
  assert.equal(await seats.getAttribute("aria-valuetext"), null);
  assert.equal(await page.textContent("#seats-message"), "");
  assert.equal(await page.getAttribute("#seats-message", "data-mark"), "kept");
  await assertNoViolations(page, "the plan editor with its stepper");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("the amount due is announced once the typing pauses, not for every key", async () => {
  const page = await openApp(app.browser, app.server.base);
  await signIn(page, USERS.giulia);
  await menu(page, "Meeting", "Modifica sottoscrizione");
  await heading(page, "Modifica sottoscrizione: Meeting");
  await page.evaluate(() => {
    const region = document.querySelector("#live-region");
    window.announced = [];
    new MutationObserver(() => window.announced.push(region.textContent)).observe(region, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
  // "1" then "12" typed as two input events, each in a task of its own (the page renders the
  // summary of 1 seat in between), as a quick typist does.
  await page.evaluate(async () => {
    const input = document.querySelector("#seats");
    for (const text of ["1", "12"]) {
      input.value = text;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  });
  await page.waitForFunction(() => document.querySelector("#seats")?.getAttribute("aria-valuenow") === "12");
  const due = await amountDue(page);
  await page.waitForFunction(() => window.announced.length > 0);
  const announced = await page.evaluate(() => window.announced);
  assert.deepEqual(announced.map(plain), [`Totale dovuto: ${due}`]);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("focus after a menu action, Escape and removing cart items; notices are in a status region", async () => {
  const page = await openApp(app.browser, app.server.base);
  await signIn(page, USERS.giulia);
  // First item: an empty cart goes straight to the review page; back to the overview.
  await menu(page, "Webinar", "Disattiva il rinnovo");
  await heading(page, "Completa transazione");
  await page.getByRole("button", { name: "Torna al Centro fatturazione" }).click();
  await heading(page, "Centro fatturazione");

  // Escape closes the menu and gives the focus back to its button.
  const meeting = page.getByRole("button", { name: "Opzioni per Meeting", exact: true });
  await meeting.focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.getAttribute("aria-expanded") === "true");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.className), "menu-item");
  await page.keyboard.press("Escape");
  assert.equal(await meeting.getAttribute("aria-expanded"), "false");
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("aria-label")), "Opzioni per Meeting");

  // A menu action that stays on the overview: the focus goes back to the menu's button, and the
  // notice is announced from the status region.
  await page.keyboard.press("Enter");
  await page.getByRole("button", { name: "Disattiva il rinnovo", exact: true }).focus();
  await page.keyboard.press("Enter");
  await page.waitForSelector("[role=status] .notice");
  assert.equal(plain(await page.textContent("[role=status] .notice")), "Aggiunto al carrello.");
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("aria-label")), "Opzioni per Meeting");
  assert.equal(await page.locator(".cart-items li").count(), 2);
  await assertNoViolations(page, "the overview with a notice and two cart items");

  // Removing an item: its button is gone, the focus goes to the cart's heading; removing the last
  // one: the cart is gone, the focus goes to the page's heading.
  await page.locator(".cart-items li button").first().focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelectorAll(".cart-items li").length === 1);
  await page.waitForFunction(() => document.activeElement?.id === "cart-title");
  await page.locator(".cart-items li button").first().click();
  await page.waitForFunction(() => document.querySelector(".cart-items") === null);
  await page.waitForFunction(() => document.activeElement?.id === "page-title");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("on a phone the amount due stays beside the primary action, on a wide screen the summary does", async () => {
  const page = await openApp(app.browser, app.server.base, { viewport: { width: 360, height: 740 } });
  await meetingWithEightSeats(page);
  const bar = page.locator(".actions .total-bar");
  const primary = page.locator(".actions button.primary");
  const inView = (box) => box.y >= 0 && box.y + box.height <= 740 && box.x >= 0 && box.x + box.width <= 360;
  for (const where of ["top", "bottom"]) {
    await page.evaluate((where) => window.scrollTo(0, where === "top" ? 0 : document.body.scrollHeight), where);
    assert.equal(plain(await bar.locator(".total-bar__amount").textContent()), "93,94 €");
    assert.ok(inView(await bar.boundingBox()), `the amount due in view at the ${where}`);
    assert.ok(inView(await primary.boundingBox()), `the primary action in view at the ${where}`);
  }
  assert.equal(plain(await bar.locator(".total-bar__amount").textContent()), await amountDue(page));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(overflow, false, "no sideways scrolling at 360 px");
  await page.evaluate(() => window.scrollTo(0, 0));
  // The viewport only: a full-page picture would show the bar where the page ends.
  await page.screenshot({ path: join(screenshotDir, "issue14-editor-total-bar-360.png") });
  await assertNoViolations(page, "the plan editor at 360 px");

  // The bar's button brings the full summary into view.
  await bar.getByRole("button", { name: "Vedi il riepilogo" }).click();
  await page.waitForFunction(() => document.activeElement?.id === "summary-title");
  const title = await page.locator("#summary-title").boundingBox();
  assert.ok(title.y >= 0 && title.y < 740, "the summary's heading in view");

  // The review page keeps "Effettua ordine" and the amount due together too.
  await primary.click();
  await heading(page, "Completa transazione");
  await page.evaluate(() => window.scrollTo(0, 0));
  assert.equal(plain(await page.locator(".actions .total-bar__amount").textContent()), "93,94 €");
  assert.ok(inView(await page.locator(".actions .total-bar").boundingBox()));
  assert.ok(inView(await page.locator("#place-order").boundingBox()));
  await assertNoViolations(page, "the review page at 360 px");
  await page.context().close();

  // On a wide screen the summary stands beside the form and the bar takes no room.
  const wide = await openApp(app.browser, app.server.base);
  await meetingWithEightSeats(wide);
  assert.equal(await wide.locator(".total-bar").isVisible(), false);
  const [form, summary] = await Promise.all([
    wide.locator(".editor-main").boundingBox(),
    wide.locator(".summary").boundingBox(),
  ]);
  assert.ok(summary.x > form.x + form.width - 1, "the summary beside the form");
  assert.deepEqual(wide.errors, []);
  await wide.context().close();
});
