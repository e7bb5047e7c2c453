// Interaction timing of the checkout in headless Chromium (Debian's, through the playwright-core
// of tests/browser/): the billing contact opens the meeting subscription's editor and clicks the
// seat stepper's "+" 200 times; for each click, the time from the click to the amount due in the
// summary changing in the DOM, and to the next animation frame after that change (when the new
// amount is painted). Prints p50, p95 and max of both.
//
//   node bench/interaction.mjs      (bench/interaction.sh builds what it needs and runs this)
//
// The clicks are dispatched inside the page (element.click()), so the figures hold the app's
// own work and not the round trip of the automation protocol. Only loopback.
import { launchBrowser, openApp, signIn, startServer, USERS } from "../tests/browser/harness.mjs";
import { menu, heading } from "../tests/browser/flows.mjs";

const CLICKS = Number(process.env.CLICKS ?? 200);

const server = await startServer();
const browser = await launchBrowser();
try {
  const page = await openApp(browser, server.base);
  await signIn(page, USERS.giulia);
  await heading(page, "Centro fatturazione");
  await menu(page, "Meeting", "Modifica sottoscrizione");
  await heading(page, "Modifica sottoscrizione: Meeting");
  await page.waitForSelector(".summary .summary-table tr.due td, .seat-stepper__button");
  const result = await page.evaluate(async (clicks) => {
    const buttons = document.querySelectorAll(".seat-stepper .seat-stepper__button");
    const plus = buttons[buttons.length - 1];
    const dueCell = () => document.querySelector(".summary .summary-table tr.due td");
    const frame = () => new Promise((r) => requestAnimationFrame(() => r(performance.now())));
    const dom = [];
    const painted = [];
    const values = [];
    for (let i = 0; i < clicks; i++) {
      await frame();
      const before = dueCell()?.textContent;
      const changed = new Promise((resolve) => {
        const observer = new MutationObserver(() => {
          if (dueCell()?.textContent !== before) {
            observer.disconnect();
            resolve(performance.now());
          }
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        setTimeout(() => {
          observer.disconnect();
          resolve(NaN);
        }, 2000);
      });
      const start = performance.now();
      plus.click();
      const at = await changed;
      const paintedAt = await frame();
      dom.push(at - start);
      painted.push(paintedAt - start);
      values.push(dueCell()?.textContent);
    }
    return { dom, painted, first: values[0], last: values[values.length - 1],
      seats: document.querySelector("#seats")?.getAttribute("aria-valuenow") };
  }, CLICKS);
  const stats = (samples) => {
    const ok = samples.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
    const q = (p) => ok[Math.min(ok.length - 1, Math.round(p * (ok.length - 1)))];
    return `n=${ok.length} p50=${q(0.5).toFixed(2)}ms p95=${q(0.95).toFixed(2)}ms max=${q(1).toFixed(2)}ms` +
      (ok.length < samples.length ? ` (${samples.length - ok.length} clicks changed nothing within 2 s)` : "");
  };
  console.log(`interaction: ${CLICKS} clicks on the seat stepper's +, seats now ${result.seats}, amount due ${result.first} -> ${result.last}`);
  console.log(`interaction: click -> amount due changed in the DOM: ${stats(result.dom)}`);
  console.log(`interaction: click -> next frame after the change:  ${stats(result.painted)}`);
} finally {
  await browser.close();
  await server.stop();
}
