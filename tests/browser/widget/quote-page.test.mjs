// The offline quote page in real Chromium: with the network off (after its service worker has
// cached the app shell) it computes worked example 2 of billing-rules.md; its shared link
// reproduces the same totals and states the catalog version; the print view fits one A4 page.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { SCREENSHOTS, launchBrowser, startServer, watchErrors } from "./harness.mjs";

const squash = (text) => text.replace(/\s+/g, " ").trim();

/** Builds worked example 2 through the page's own controls. */
async function enterWorkedExample2(page) {
  await page.getByRole("button", { name: "Aggiungi abbonamento" }).click();
  const sub = page.locator(".sub-row").nth(0);
  await sub.locator(".field--product select").selectOption("meeting");
  await sub.locator(".field--tier select").selectOption("business");
  await sub.getByRole("spinbutton").fill("10");
  await sub.locator(".field--frequency select").selectOption("annual");
  await sub.locator(".field--start input").fill("2026-01-10");
  const item = page.locator(".item-row").nth(0);
  await item.locator(".field--op select").selectOption("change");
  await item.locator(".field--subscription select").selectOption("0");
  assert.equal(await item.getByRole("spinbutton").getAttribute("aria-valuenow"), "10");
  await item.getByRole("spinbutton").fill("4");
  await page.locator("#as-of").fill("2026-11-22");
  await page.locator("#country").fill("IT");
}

async function totals(page) {
  const text = async (selector) => squash(await page.locator(selector).first().textContent());
  return {
    lines: (await page.locator(".lines tbody td:last-child").allTextContents()).map(squash),
    subtotal: await text(".quote-subtotal"),
    tax: await text(".quote-tax"),
    total: await text(".quote-total"),
    number: await text(".quote-number"),
    catalog: await text(".quote-catalog"),
  };
}

const EXAMPLE_2 = {
  lines: ["-257,75 €", "768,00 €"],
  subtotal: "510,25 €",
  tax: "112,26 €",
  total: "622,51 €",
};

describe("offline quote page", () => {
  let server;
  let browser;
  let context;
  let sharedLink;
  let example;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1300, height: 1100 } });
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  test("computes worked example 2 with the network off", async () => {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.origin}/quote/`);
    await page.locator(".quote-doc").waitFor();
    // The service worker is active and has cached the shell; the next load goes through it.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

    await context.setOffline(true);
    await page.reload();
    await page.locator(".quote-doc").waitFor();
    assert.equal(await page.evaluate(() => navigator.onLine), false);
    await enterWorkedExample2(page);
    example = await totals(page);
    assert.deepEqual(
      { lines: example.lines, subtotal: example.subtotal, tax: example.tax, total: example.total },
      EXAMPLE_2,
    );
    assert.equal(example.catalog, "2026-11-01");
    assert.match(example.number, /^Q-20261122-[0-9A-F]{8}$/);
    assert.match(
      squash(await page.locator(".doc-head").textContent()),
      /Data: 22 nov 2026 · Valido 30 giorni, fino al 22 dic 2026/,
    );

    await page.getByRole("button", { name: "Crea link condivisibile" }).click();
    sharedLink = await page.locator("#share-link").inputValue();
    assert.match(sharedLink, /\/quote\/#q=[A-Za-z0-9_-]+$/);
    assert.equal(page.url(), sharedLink);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, "quote-page-offline.png"), fullPage: true });
    assert.deepEqual(errors.filter((e) => !e.includes("ERR_INTERNET_DISCONNECTED")), []);
    await page.close();
  });

  test("a shared link reproduces the same totals and names the catalog", async () => {
    assert.ok(sharedLink, "the first test made a link");
    const page = await context.newPage(); // still offline
    await page.goto(sharedLink);
    await page.locator(".quote-total").waitFor();
    const shared = await totals(page);
    assert.deepEqual(shared, example);
    assert.match(
      squash(await page.locator(".banner-version").textContent()),
      /calcolato con il listino 2026-11-01\./,
    );
    assert.equal(await page.locator(".banner-warning").count(), 0);
    await page.close();
  });

  test("a link priced with an older catalog warns that the bundled one is newer", async () => {
    const fragment = new URL(sharedLink).hash.slice("#q=".length);
    const state = JSON.parse(Buffer.from(fragment, "base64url").toString("utf8"));
    state.catalog = "2026-01-01";
    state.total = "600.00";
    const old = `${server.origin}/quote/#q=${Buffer.from(JSON.stringify(state)).toString("base64url")}`;
    const page = await context.newPage();
    await page.goto(old);
    await page.locator(".quote-total").waitFor();
    const warnings = (await page.locator(".banner-warning").allTextContents()).map(squash);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0], /il listino incluso in questa pagina \(2026-11-01\) è più recente di quello del link \(2026-01-01\)/);
    assert.match(warnings[1], /Il totale nel link era 600\.00; con il listino incluso è 622\.51\./);
    assert.equal(squash(await page.locator(".quote-total").textContent()), "622,51 €");
    await page.close();
  });

  test("an order the engine refuses says why, in Italian words", async () => {
    await context.setOffline(false);
    const page = await context.newPage();
    await page.goto(`${server.origin}/quote/`);
    await page.locator(".quote-total").waitFor();
    // No subscriptions yet, so a change has nothing to change.
    await page.locator(".item-row .field--op select").selectOption("change");
    assert.equal(
      squash(await page.locator(".quote-error").textContent()),
      "Nessun preventivo: l'abbonamento indicato non esiste.",
    );
    assert.equal(await page.locator(".quote-total").count(), 0);
    await page.close();
  });

  test("the print view is one clean A4 page", async () => {
    await context.setOffline(false);
    const page = await context.newPage();
    await page.goto(sharedLink);
    await page.locator(".quote-total").waitFor();
    await page.emulateMedia({ media: "print" });
    const hidden = await page.evaluate(() =>
      [".editor", ".page-head", ".banner", ".actions"].map((selector) => {
        const element = document.querySelector(selector);
        return element === null || getComputedStyle(element).display === "none";
      }),
    );
    assert.deepEqual(hidden, [true, true, true, true]);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, "quote-print-view.png"), fullPage: true });
    const pdf = await page.pdf({ format: "A4", preferCSSPageSize: true, printBackground: true });
    const pages = pdf.toString("latin1").match(/\/Type\s*\/Page(?!s)/g) ?? [];
    assert.equal(pages.length, 1, "the quote prints on one A4 page");
    const text = squash(await page.locator(".quote-doc").innerText());
    for (const expected of ["Preventivo Q-20261122-", "Valido 30 giorni", "622,51 €", "510,25 €"]) {
      assert.ok(text.includes(expected), `print shows ${expected}`);
    }
    await page.close();
  });
  test("the page speaks English after the switch, keeps the form and remembers the choice", async () => {
    await context.setOffline(false);
    const page = await context.newPage();
    await page.goto(sharedLink);
    await page.locator(".quote-total").waitFor();
    const switchButton = page.locator("#switch-lang");
    assert.equal(await switchButton.getAttribute("lang"), "en");
    await switchButton.click();
    await page.getByRole("heading", { name: "Offline quote" }).waitFor();
    // The switch keeps the keyboard focus, the form keeps what was entered.
    assert.equal(await page.evaluate(() => document.activeElement?.id), "switch-lang");
    assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
    assert.equal(await page.title(), "Offline quote - Billing Center");
    const english = await totals(page);
    assert.deepEqual(
      { lines: english.lines, subtotal: english.subtotal, tax: english.tax, total: english.total },
      { lines: ["-€257.75", "€768.00"], subtotal: "€510.25", tax: "€112.26", total: "€622.51" },
    );
    assert.equal(english.number, example.number);
    const quoteText = squash(await page.locator(".quote-doc").innerText());
    for (const expected of ["Quote Q-20261122-", "Valid for 30 days", "Subtotal", "Amount due", "Meeting Business: credit for the unused period"]) {
      assert.ok(quoteText.includes(expected), `the English quote shows ${expected}`);
    }
    assert.match(quoteText, /VAT 22(\.0+)?% \(IT\)/);
    assert.equal(
      squash(await page.locator(".item-row .field--op select option:checked").textContent()),
      "Change subscription",
    );
    assert.equal(await page.locator(".sub-row").count(), 1, "the subscription is still there");

    // A refusal explains itself in English too.
    await page.locator(".item-row .field--op select").selectOption("reactivate");
    assert.equal(
      squash(await page.locator(".quote-error").textContent()),
      "No quote: only an expired subscription can be reactivated.",
    );

    // The next visit opens in English; switching back brings Italian back, for the other tests.
    await page.reload();
    await page.getByRole("heading", { name: "Offline quote" }).waitFor();
    await page.getByRole("button", { name: "Passa all'italiano" }).click();
    await page.getByRole("heading", { name: "Preventivo offline" }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), "it");
    await page.close();
  });
});
