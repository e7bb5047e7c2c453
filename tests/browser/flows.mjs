// Steps shared by the browser tests.
import assert from "node:assert/strict";

/** Text with the non-breaking spaces Intl puts around currency symbols made plain. */
export function plain(text) {
  return (text ?? "").replace(/[\u00a0\u202f]/g, " ").trim();
}

/** The amount due shown by the summary. */
export async function amountDue(page) {
  return plain(await page.textContent(".summary .summary-table tr.due td"));
}

/** Presses Tab (at most `max` times) until the focused element matches `selector`. */
export async function tabTo(page, selector, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const found = await page.evaluate(
      (sel) => document.activeElement?.matches(sel) ?? false,
      selector,
    );
    if (found) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** Opens a subscription's options menu and picks an action, with the mouse. */
export async function menu(page, product, action) {
  await page.getByRole("button", { name: new RegExp(`^(Opzioni per|Options for) ${product}$`) }).click();
  await page.getByRole("button", { name: action, exact: true }).click();
}

/** Waits for the page heading to read exactly `text`. */
export async function heading(page, text) {
  await page.waitForFunction(
    (t) => document.querySelector("#page-title")?.textContent?.trim() === t,
    text,
  );
}

/** Orders of the account, through the API. */
export async function orders(api, base, token) {
  const res = await api(base, token, "GET", "/api/v1/orders");
  assert.equal(res.status, 200);
  return res.body.orders;
}

/**
 * Lets the server place the page's first order but hands the browser `fail(route)`'s answer
 * instead of the server's (a lost connection, a proxy's 502); later placements go through.
 * Returns the Idempotency-Key of every placement, in order, to compare the retry's with the first.
 */
export async function failFirstPlacement(page, fail) {
  const keys = [];
  await page.route("**/api/v1/orders", async (route) => {
    const request = route.request();
    if (request.method() !== "POST") return route.continue();
    keys.push(request.headers()["idempotency-key"]);
    if (keys.length > 1) return route.continue();
    await route.fetch();
    return fail(route);
  });
  return keys;
}
