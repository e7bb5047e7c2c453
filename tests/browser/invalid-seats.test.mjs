// Issue 12, item 1: a seat count that is not valid is never ordered. While the plan editor's field
// holds 0, text or more than the plan allows, the summary says so and the primary action is
// disabled; stepping up from the maximum keeps the (valid) maximum.
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertNoViolations, openApp, screenshot, signIn, USERS, useServerAndBrowser } from "./harness.mjs";
import { amountDue, heading, menu, plain } from "./flows.mjs";

const app = useServerAndBrowser();

test("0, xyz and 300 seats hold the summary and the order; ArrowUp at 250 stays valid", async () => {
  const page = await openApp(app.browser, app.server.base, { viewport: { width: 360, height: 800 } });
  await signIn(page, USERS.giulia);
  await heading(page, "Centro fatturazione");
  await menu(page, "Meeting", "Modifica sottoscrizione");
  await heading(page, "Modifica sottoscrizione: Meeting");
  const primary = page.getByRole("button", { name: "Completa la transazione" });

  await page.fill("#seats", "10");
  await page.waitForFunction(() => document.querySelector("#seats")?.getAttribute("aria-valuenow") === "10");
  assert.equal(await primary.isDisabled(), false, "10 seats can be ordered");
  assert.match(plain(await page.textContent(".summary")), /Meeting Professional × 10/);

  for (const typed of ["0", "xyz", "300"]) {
    await page.fill("#seats", typed);
    await page.waitForFunction(() => document.querySelector("#seats")?.getAttribute("aria-invalid") === "true");
    const summary = plain(await page.textContent(".summary"));
    assert.match(summary, /Numero di licenze non valido: correggilo/, `summary for ${typed}`);
    assert.doesNotMatch(summary, /× 10/, `no total for the last valid count after ${typed}`);
    assert.equal(await page.locator(".summary tr.due").count(), 0);
    assert.equal(await primary.isDisabled(), true, `no order with ${typed} in the field`);
    if (typed === "300") {
      await screenshot(page, "issue12-editor-300-seats-360");
      await assertNoViolations(page, "the editor with 300 seats typed");
    }
  }
  // Clicking the disabled button puts nothing in the cart.
  await primary.click({ force: true });
  await heading(page, "Modifica sottoscrizione: Meeting");

  // Back to a valid count, then to the maximum: ArrowUp there offers sales and stays valid.
  await page.fill("#seats", "12");
  await page.waitForFunction(() => document.querySelector("#seats")?.getAttribute("aria-valuenow") === "12");
  assert.equal(await primary.isDisabled(), false);
  await page.focus("#seats");
  await page.keyboard.press("End");
  await page.waitForFunction(() => document.querySelector("#seats")?.getAttribute("aria-valuenow") === "250");
  await page.keyboard.press("ArrowUp");
  // The message stays in the page (issue 14): its link to Customer Care says it now offers sales.
  await page.waitForSelector("#seats-message a");
  assert.equal(await page.getAttribute("#seats", "aria-invalid"), "false");
  assert.equal(await page.inputValue("#seats"), "250");
  assert.equal(await primary.isDisabled(), false, "250 is a valid count");
  assert.match(await amountDue(page), /€/);
  const message = plain(await page.textContent("#seats-message"));
  // The catalog has no sales contact: the message names Customer Care, whose number it gives.
  assert.match(message, /Per più di 250 licenze contatta l'Assistenza clienti: \+353 1 555 0142/);
  assert.doesNotMatch(message, /reparto vendite/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
