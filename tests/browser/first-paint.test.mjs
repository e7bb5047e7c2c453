// The checkout's first paint (issue 16): index.html draws the sign-in form before the WebAssembly
// has arrived (public/first-paint.js picks the language and, for a returning user, a skeleton of
// the overview); what is typed there, the focus and a submit pressed carry over to the app.
// The WebAssembly is held back by request routing, so "before the app has started" is certain.
import { test } from "node:test";
import assert from "node:assert/strict";
import { apiToken, USERS, useServerAndBrowser } from "./harness.mjs";
import { heading } from "./flows.mjs";

const app = useServerAndBrowser();

/**
 * A fresh page on the checkout whose WebAssembly is held until `release()`; `init` runs in the page
 * before its scripts (to store a language or a session).
 */
async function heldPage({ init, initArg, javaScriptEnabled = true } = {}) {
  const context = await app.browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: "it-IT",
    javaScriptEnabled,
  });
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (err) => page.errors.push(String(err)));
  page.on("console", (msg) => {
    if (msg.type() === "error") page.errors.push(msg.text());
  });
  if (init) await page.addInitScript(init, initArg);
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route("**/*_bg.wasm", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(app.server.base + "/", { waitUntil: "domcontentloaded" });
  return { page, context, release };
}

const started = (page) => page.waitForSelector("#first-paint", { state: "detached" });

// The boxes of the sign-in screen's parts, to compare the painted page with the app's.
const boxes = (page) =>
  page.evaluate(() =>
    [".skip-link", ".masthead", ".brand", ".masthead .link-button", "#page-title", "#email", "#password", "form .primary"].map(
      (selector) => {
        const el = document.querySelector(selector);
        const { x, y, width, height } = el.getBoundingClientRect();
        return { selector, text: el.textContent.trim(), x, y, width, height };
      },
    ),
  );

test("typed into the painted form before the app starts, the e-mail, the password and the focus carry over, and the sign-in works", async () => {
  const { page, context, release } = await heldPage();
  await page.waitForSelector("#first-paint #email");
  const painted = await boxes(page);
  assert.equal(painted[4].text, "Accedi al Centro fatturazione");
  await page.focus("#email");
  await page.keyboard.type(USERS.giulia.email);
  await page.keyboard.press("Tab");
  await page.keyboard.type(USERS.giulia.password.slice(0, 6));
  assert.equal(await page.evaluate(() => globalThis.wasmBindings), undefined, "the app has not started");
  release();
  await started(page);
  // The app's own form, drawn where the painted one was, with what was typed in it.
  assert.deepEqual(await boxes(page), painted);
  assert.equal(await page.inputValue("#email"), USERS.giulia.email);
  assert.equal(await page.inputValue("#password"), USERS.giulia.password.slice(0, 6));
  assert.equal(await page.evaluate(() => document.activeElement.id), "password");
  // The rest of the password goes on where the caret was; Enter signs in.
  await page.keyboard.type(USERS.giulia.password.slice(6));
  assert.equal(await page.inputValue("#password"), USERS.giulia.password);
  await page.keyboard.press("Enter");
  await heading(page, "Centro fatturazione");
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("a sign-in submitted before the app starts is sent once it has", async () => {
  const { page, context, release } = await heldPage();
  await page.fill("#first-paint #email", USERS.giulia.email);
  await page.fill("#first-paint #password", USERS.giulia.password);
  await page.press("#first-paint #password", "Enter");
  // Nothing left the page: the painted form sends nothing itself.
  assert.equal(page.url(), app.server.base + "/");
  release();
  await heading(page, "Centro fatturazione");
  assert.equal(await page.locator("#first-paint").count(), 0);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("a stored English preference paints the form in English, as the app draws it", async () => {
  const { page, context, release } = await heldPage({
    init: () => localStorage.setItem("checkout.lang", "en"),
  });
  await page.waitForSelector("#first-paint #email");
  const painted = await boxes(page);
  assert.equal(painted[4].text, "Sign in to the Billing Center");
  assert.equal(painted[3].text, "Italiano");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  release();
  await started(page);
  assert.deepEqual(await boxes(page), painted);
  await context.close();
});

test("a returning user sees the overview's skeleton, never the sign-in form, until the overview", async () => {
  const token = await apiToken(app.server.base, USERS.giulia);
  const { page, context, release } = await heldPage({
    init: (token) => {
      sessionStorage.setItem("checkout.token", token);
      // Every frame until the overview: was a sign-in field on view?
      globalThis.formFrames = 0;
      const watch = () => {
        const email = document.querySelector("#email");
        if (email && email.checkVisibility()) globalThis.formFrames++;
        if (document.querySelector("#first-paint, #email")) requestAnimationFrame(watch);
      };
      requestAnimationFrame(watch);
    },
    initArg: token,
  });
  await page.waitForSelector("#first-paint .skeleton:not([hidden])");
  assert.equal(await page.locator("#first-paint #email").isVisible(), false);
  release();
  await heading(page, "Centro fatturazione");
  await started(page);
  assert.equal(await page.evaluate(() => globalThis.formFrames), 0);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("with JavaScript off the painted form is hidden and the page says JavaScript is needed", async () => {
  const { page, context, release } = await heldPage({ javaScriptEnabled: false });
  release();
  assert.equal(await page.locator("#email").isVisible(), false);
  assert.match(await page.locator("body").innerText(), /attiva JavaScript/);
  await context.close();
});
