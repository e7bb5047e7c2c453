// Loader of the pricing widget. A marketing page includes it once:
//
//   <script type="module" src="https://billing.example.com/widget/pricing.js"></script>
//
// It mounts a widget into every <div data-checkout-pricing data-product=...> of the page,
// including those the page adds later (see README, "Embedding the pricing widget"). No inline
// script and no third-party code, so it runs under a strict CSP.
//
// It spends as little of the page's main thread as it can: the WebAssembly is compiled at once,
// streaming and off the main thread, but instantiated only when a widget nears the viewport, and
// each widget is mounted in a task of its own, so that the page stays responsive in between.
import init, { mount_pricing_widget } from "./widget.js";

const wasmUrl = new URL("widget_bg.wasm", import.meta.url);
// A server that sends the WebAssembly without the application/wasm type defeats streaming
// compilation; compiling the downloaded bytes still works there, only later.
const compiled = WebAssembly.compileStreaming(fetch(wasmUrl)).catch(() =>
  fetch(wasmUrl)
    .then((response) => response.arrayBuffer())
    .then((bytes) => WebAssembly.compile(bytes)),
);

// Widgets in view on load are mounted as soon as the WebAssembly is compiled, and widgets this
// close below (or above) the viewport too, so that scrolling to one finds it drawn: once the
// WebAssembly runs, mounting a widget takes a few milliseconds (tens on a slow phone), far less
// than scrolling 400 pixels takes.
const MARGIN = "400px 0px";

// The hosts that neared the viewport and wait for their widget, mounted one per task.
const waiting = [];
let mounting = false;

// Lets the browser run its other tasks (input, rendering) before the next widget.
const yieldToBrowser = () =>
  globalThis.scheduler?.yield?.() ?? new Promise((resolve) => setTimeout(resolve, 0));

async function mountWaiting() {
  if (mounting) return;
  mounting = true;
  try {
    await init({ module_or_path: await compiled });
    while (waiting.length > 0) {
      mount_pricing_widget(waiting.shift());
      if (waiting.length > 0) await yieldToBrowser();
    }
  } finally {
    mounting = false;
  }
}

const nearViewport = new IntersectionObserver(
  (entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      nearViewport.unobserve(entry.target);
      waiting.push(entry.target);
    }
    mountWaiting();
  },
  { rootMargin: MARGIN },
);

// Every host is watched once (mount_pricing_widget skips a host that has a shadow root).
const watched = new WeakSet();
function watchHosts() {
  for (const host of document.querySelectorAll("[data-checkout-pricing]")) {
    if (watched.has(host)) continue;
    watched.add(host);
    nearViewport.observe(host);
  }
}
watchHosts();

// Elements added after load (single-page sites) get their widget too. Changes inside the
// widgets' shadow roots are not observed.
let queued = false;
new MutationObserver(() => {
  if (queued) return;
  queued = true;
  queueMicrotask(() => {
    queued = false;
    watchHosts();
  });
}).observe(document.documentElement, { childList: true, subtree: true });
