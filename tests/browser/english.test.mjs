// The done-when scenario in English ("€93.94"), by keyboard alone, on a fresh server.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  api, apiToken, assertNoViolations, openApp, screenshot, USERS, useServerAndBrowser,
} from "./harness.mjs";
import { amountDue, heading, orders, plain, tabTo } from "./flows.mjs";

const app = useServerAndBrowser();

test("in English by keyboard alone: meeting to 8 seats shows €93.94 due with the credit line, placed, in the history", async () => {
  const page = await openApp(app.browser, app.server.base);
  await tabTo(page, "button[lang=en]");
  await page.keyboard.press("Enter");
  await heading(page, "Sign in to the Billing Center");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  await tabTo(page, "#email");
  await page.keyboard.type(USERS.giulia.email);
  await page.keyboard.press("Tab");
  await page.keyboard.type(USERS.giulia.password);
  await page.keyboard.press("Enter");
  await heading(page, "Billing Center");

  await tabTo(page, "button[aria-label='Options for Meeting']");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await heading(page, "Change subscription: Meeting");
  await tabTo(page, "#seats");
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowUp");
  assert.equal(await page.getAttribute("#seats", "aria-valuenow"), "8");
  assert.equal(await amountDue(page), "€93.94");
  assert.match(plain(await page.textContent(".summary tr.line.credit")), /^Credit for unused time: Meeting Professional × 5, €14.00 per seat per month, from Nov 16, 2026 to Dec 1, 2026/);
  await page.waitForFunction(() => document.querySelector("#live-region")?.textContent === "Amount due: €93.94");
  await assertNoViolations(page, "the English plan editor");
  await screenshot(page, "08-plan-editor-english");

  await tabTo(page, "button.primary");
  await page.keyboard.press("Enter");
  await heading(page, "Complete transaction");
  await tabTo(page, "#place-order");
  await page.keyboard.press("Enter");
  await heading(page, "Order placed");
  assert.equal(plain(await page.textContent("#total-paid")), "€93.94");
  await tabTo(page, "button.secondary");
  await page.keyboard.press("Enter");
  await heading(page, "Billing history");
  const token = await apiToken(app.server.base, USERS.giulia);
  const placed = await orders(api, app.server.base, token);
  assert.equal(placed.length, 1);
  assert.equal(placed[0].total, "93.94");
  assert.match(plain(await page.textContent("table.history")), /€93\.94/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
