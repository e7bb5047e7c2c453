// From a marketing page to the checkout: the widget's "Acquista" opens the checkout, which after
// sign-in shows the editor with the widget's selection (the checkout's side of the link format is
// src/model.rs; its DOM ids are those of src/pages/).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, startServer, watchErrors } from "./harness.mjs";

const PAGE = `<!doctype html>
<html lang="it"><head><meta charset="utf-8"><title>Assistenza remota</title>
<script type="module" src="/widget/pricing.js"></script></head>
<body><div id="rs" data-checkout-pricing data-product="remote-support" data-currency="EUR"
  data-lang="it" data-checkout-url="/"></div></body></html>`;

let server;
let browser;

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test("Acquista opens the checkout's editor on the widget's selection", async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
  const errors = watchErrors(page);
  await page.route(`${server.origin}/prodotti/assistenza-remota.html`, (route) =>
    route.fulfill({ contentType: "text/html", body: PAGE }),
  );
  await page.goto(`${server.origin}/prodotti/assistenza-remota.html`);
  const widget = page.locator("#rs");
  await widget.locator(".cp-card").first().waitFor();
  await widget.getByRole("spinbutton").fill("4");
  await widget.getByLabel("Annuale").check();
  await Promise.all([
    page.waitForURL(/op=buy/),
    widget.locator('.cp-card[data-tier="premium"]').getByRole("link", { name: "Acquista" }).click(),
  ]);
  assert.equal(
    new URL(page.url()).search,
    "?op=buy&product=remote-support&tier=premium&seats=4&frequency=annual",
  );
  await page.waitForSelector("#email");
  await page.fill("#email", "giulia.rossi@example.com");
  await page.fill("#password", "demo-billing-2026");
  await page.click("button[type=submit]");
  await page.waitForFunction(
    () => document.querySelector("#page-title")?.textContent?.trim() === "Aggiungi nuovo abbonamento",
  );
  assert.equal(await page.isChecked("#product-remote-support"), true);
  assert.equal(await page.isChecked("#tier-premium"), true);
  assert.equal(await page.isChecked("#freq-annual"), true);
  assert.equal(await page.getAttribute("#seats", "aria-valuenow"), "4");
  assert.deepEqual(errors, []);
  await page.close();
});
