// Issue 12, item 2: links from the pricing widget never lead into a dead end. A trial the account
// has used falls back to buying the product, with a note; a purchase of a product the account
// holds opens its editor, with a note; the link's query leaves the address bar once used.
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertNoViolations, screenshot, signIn, USERS, useServerAndBrowser } from "./harness.mjs";
import { heading, plain } from "./flows.mjs";

const app = useServerAndBrowser();

async function openLink(query, lang = "it-IT") {
  const context = await app.browser.newContext({ locale: lang, viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (err) => page.errors.push(String(err)));
  await page.goto(`${app.server.base}/${query}`);
  await page.waitForSelector("#email");
  return page;
}

test("a trial link for a product whose trial was used opens its purchase, with a note", async () => {
  const page = await openLink("?op=trial&product=meeting&tier=business");
  await signIn(page, USERS.expired);
  await heading(page, "Aggiungi nuovo abbonamento");
  const note = plain(await page.textContent(".notice"));
  assert.match(note, /Hai già usato la prova gratuita di Meeting: puoi acquistarlo qui/);
  assert.equal(await page.isChecked("#product-meeting"), true);
  assert.equal(await page.isChecked("#buy-meeting"), true);
  assert.equal(await page.isChecked("#try-meeting"), false);
  assert.equal(await page.isChecked("#tier-business"), true);
  assert.equal(await page.getByRole("button", { name: "Avvia la prova" }).count(), 0);
  const main = plain(await page.textContent("main"));
  assert.doesNotMatch(main, /[a-z]+_[a-z]+/, "no error code is shown");
  // The query has left the address bar, so a reload does not repeat it.
  assert.equal(new URL(page.url()).search, "");
  await assertNoViolations(page, "the purchase a used trial link falls back to");
  await screenshot(page, "issue12-trial-link-used-360");
  await page.reload();
  await page.waitForSelector("#page-title");
  assert.equal(new URL(page.url()).search, "");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("a buy link for a product the account holds opens that subscription's editor, with a note", async () => {
  const page = await openLink("?op=buy&product=meeting&tier=business&seats=8&frequency=annual");
  await signIn(page, USERS.giulia);
  await heading(page, "Modifica sottoscrizione: Meeting");
  assert.match(plain(await page.textContent(".notice")), /Hai già Meeting: qui puoi modificare il tuo abbonamento/);
  assert.equal(await page.getAttribute("#seats", "aria-valuenow"), "5");
  assert.equal(new URL(page.url()).search, "");
  await assertNoViolations(page, "the editor a held product's buy link opens");
  await screenshot(page, "issue12-buy-link-held-360");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
