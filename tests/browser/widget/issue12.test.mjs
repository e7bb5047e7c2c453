// Issue 12 on the pricing widget and the quote page: an invalid seat count is never priced or
// ordered (item 1); the quote page fits a phone, speaks one language, refuses an unknown country,
// shows no internal ids, applies a shared link opened in a tab that already shows it, and its
// period hint agrees with the period end (item 6).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { SCREENSHOTS, launchBrowser, startServer, waitForTakeover, watchErrors } from "./harness.mjs";

const squash = (text) => (text ?? "").replace(/\s+/g, " ").trim();

describe("issue 12: the widget and the quote page", () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test("the widget orders nothing for 300, abc or 0 seats, and names its total again once valid", async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${server.origin}/marketing/`);
    await waitForTakeover(page, ["meeting"]);
    const meeting = page.locator('[data-product="meeting"]');
    await meeting.locator(".cp-card").first().waitFor();
    const stepper = meeting.getByRole("spinbutton");
    const business = meeting.locator('.cp-card[data-tier="business"]');
    await stepper.fill("17");
    await page.waitForFunction(() =>
      document.querySelector('[data-product="meeting"]').shadowRoot.querySelector(".cp-card__total").textContent.includes("17"),
    );
    assert.match(squash(await business.locator(".cp-card__total").textContent()), /^Totale per 17 licenze/);
    // Item 5: the Italian widget lists the catalog's Italian features, the English one English.
    assert.match(squash(await business.locator(".cp-card__features").textContent()), /Riunioni fino a 250 partecipanti/);
    // The webinar widget is drawn once it comes near the viewport.
    await page.locator('[data-product="webinar"]').scrollIntoViewIfNeeded();
    assert.match(
      squash(await page.locator('[data-product="webinar"] .cp-card').first().locator(".cp-card__features").textContent()),
      /Webinars up to 250 attendees/,
    );
    // Where the billing radios sit inside the widget (page scrolling aside).
    const radiosOffset = () =>
      page.evaluate(() => {
        const root = document.querySelector('[data-product="meeting"]').shadowRoot;
        const top = (selector) => root.querySelector(selector).getBoundingClientRect().top;
        return top(".cp-switch") - top(".cp");
      });
    const radiosBefore = await radiosOffset();
    for (const typed of ["300", "abc", "0"]) {
      await stepper.fill(typed);
      await page.waitForFunction(() =>
        document.querySelector('[data-product="meeting"]').shadowRoot
          .querySelector(".seat-stepper__input").getAttribute("aria-invalid") === "true",
      );
      const total = squash(await business.locator(".cp-card__total").textContent());
      assert.equal(total, "Inserisci un numero di licenze valido per vedere il totale.", typed);
      assert.equal(await business.locator(".cp-button--buy").isVisible(), false, `no Buy link for ${typed}`);
      if (typed === "300") {
        await page.screenshot({ path: join(SCREENSHOTS, "issue12-widget-300-seats-360.png"), fullPage: true });
      }
    }
    // The message does not move the billing radios (item 7).
    assert.equal(await radiosOffset(), radiosBefore);
    await stepper.fill("1");
    await page.waitForFunction(() =>
      document.querySelector('[data-product="meeting"]').shadowRoot
        .querySelector(".seat-stepper__input").getAttribute("aria-invalid") === "false",
    );
    assert.match(squash(await business.locator(".cp-card__total").textContent()), /^Totale per 1 licenza:/);
    assert.match(await business.locator(".cp-button--buy").getAttribute("href"), /seats=1&/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("the quote page fits 360 px, refuses in Italian words and holds the quote for a bad seat count", async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
    const errors = watchErrors(page);
    await page.goto(`${server.origin}/quote/`);
    await page.locator(".quote-total").waitFor();
    await page.getByRole("button", { name: "Aggiungi abbonamento" }).click();
    const sub = page.locator(".sub-row").nth(0);
    await sub.locator(".field--start input").fill("2026-11-01");
    const item = page.locator(".item-row").nth(0);
    await item.locator(".field--op select").selectOption("change");
    await item.getByRole("spinbutton").fill("4");
    await page.locator("#as-of").fill("2026-11-22");
    await page.locator(".quote-total").waitFor();

    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `the page is ${width} px wide at 360 px`);
    const text = squash(await page.locator("body").innerText());
    assert.doesNotMatch(text, /sub_\d/, "no internal subscription id is shown");
    assert.match(squash(await sub.locator("legend").textContent()), /^Abbonamento 1$/);
    // The hint names the day the period end field shows.
    const end = squash(await sub.locator(".field--end span:last-child").textContent());
    assert.match(squash(await page.locator(".hint").last().textContent()), new RegExp(`fino al ${end} escluso`));
    await page.screenshot({ path: join(SCREENSHOTS, "issue12-quote-page-360.png"), fullPage: true });

    for (const typed of ["0", "abc", "300"]) {
      await item.getByRole("spinbutton").fill(typed);
      await page.locator(".quote-error").waitFor();
      assert.equal(
        squash(await page.locator(".quote-error").textContent()),
        "Nessun preventivo: un numero di licenze inserito non è valido; correggilo per vedere il preventivo.",
      );
      assert.equal(await page.locator(".quote-total").count(), 0, `no old quote for ${typed}`);
      assert.equal(await page.locator("#share").isDisabled(), true);
    }
    await item.getByRole("spinbutton").fill("4");
    await page.locator(".quote-total").waitFor();

    await page.locator("#country").fill("ZZ");
    await page.locator(".quote-error").waitFor();
    const refusal = squash(await page.locator(".quote-error").textContent());
    assert.equal(refusal, "Nessun preventivo: «ZZ» non è un paese: scrivi il suo codice di due lettere, per esempio IT o DE.");
    await page.locator("#country").fill("IT");
    await page.locator("#credit").fill("-5");
    const credit = squash(await page.locator(".quote-error").textContent());
    assert.equal(credit, "Nessun preventivo: il credito deve essere un importo da zero in su, con al massimo due decimali.");
    assert.doesNotMatch(credit, /[`[\]]|_[a-z]/);
    await page.screenshot({ path: join(SCREENSHOTS, "issue12-quote-page-refusal-360.png"), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("a shared link opened in a tab already on the quote page applies at once", async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
    await page.goto(`${server.origin}/quote/`);
    await page.locator(".quote-total").waitFor();
    const before = squash(await page.locator(".quote-total").textContent());
    // A link for 3 seats of webinar/lite, monthly, bought on 2026-11-22 in Italy.
    const state = {
      v: 1, catalog: "2026-11-01", total: "215.94",
      form: {
        country: "IT", currency: "EUR", vat_id: "", credit: "0.00", subscriptions: [],
        items: [{ op: "buy", subscription: 0, product: "webinar", tier: "lite", seats: 3, frequency: "monthly" }],
        as_of: "2026-11-22",
      },
    };
    const hash = `#q=${Buffer.from(JSON.stringify(state)).toString("base64url")}`;
    await page.evaluate((h) => { location.hash = h; }, hash);
    await page.waitForFunction(() => document.querySelector(".quote-total")?.textContent.includes("215,94"));
    assert.notEqual(before, squash(await page.locator(".quote-total").textContent()));
    assert.match(squash(await page.locator(".banner-version").textContent()), /2026-11-01/);
    await page.close();
  });
});
