// Loader of the pricing widget. A marketing page includes it once:
//
//   <script type="module" src="https://billing.example.com/widget/pricing.js"></script>
//
// It mounts a widget into every <div data-checkout-pricing data-product=...> of the page,
// including those the page adds later (see README, "Embedding the pricing widget"). No inline
// script and no third-party code, so it runs under a strict CSP.
//
// It spends as little of the page's main thread as it can.
//
// - A host painted at build time (crates/widget/src/paint.rs, `widget-paint`: a declarative shadow
//   root with the widget's markup) already shows its prices and links, so nothing is urgent: the
//   WebAssembly is fetched, compiled and instantiated on the first interaction with the widget
//   (pointer over it, focus in it, a key) or when the browser is idle, and then takes the painted
//   markup over without a visible change.
// - A host that is not painted is drawn when it nears the viewport; the WebAssembly is compiled at
//   once (streaming, off the main thread) for it.
//
// Each widget is mounted in a task of its own, so that the page stays responsive in between. The
// wasm-bindgen glue (widget.js) is imported when the first widget is mounted, so a page whose
// widgets are all painted runs none of it before then.
let glue;

const wasmUrl = new URL("widget_bg.wasm", import.meta.url);
// A server that sends the WebAssembly without the application/wasm type defeats streaming
// compilation; compiling the downloaded bytes still works there, only later.
let compiled;
const compile = () =>
  (compiled ??= WebAssembly.compileStreaming(fetch(wasmUrl)).catch(() =>
    fetch(wasmUrl)
      .then((response) => response.arrayBuffer())
      .then((bytes) => WebAssembly.compile(bytes)),
  ));

// Widgets in view on load are mounted as soon as the WebAssembly is compiled, and widgets this
// close below (or above) the viewport too, so that scrolling to one finds it drawn: once the
// WebAssembly runs, mounting a widget takes a few milliseconds (tens on a slow phone), far less
// than scrolling 400 pixels takes.
const MARGIN = "400px 0px";
// How long a painted widget near the viewport waits for an idle moment before it is taken over
// anyway (requestIdleCallback's timeout).
const IDLE_TIMEOUT_MS = 5000;
// What counts as the first interaction with a painted widget: the pointer reaching it comes
// before its click, so the widget is usually live by the time the click lands.
const INTERACTIONS = ["pointerover", "focusin", "keydown"];

// The hosts that wait for their widget, mounted one per task.
const waiting = [];
let mounting = false;

// Lets the browser run its other tasks (input, rendering) before the next widget.
const yieldToBrowser = () =>
  globalThis.scheduler?.yield?.() ?? new Promise((resolve) => setTimeout(resolve, 0));

const whenIdle = (callback) =>
  globalThis.requestIdleCallback
    ? requestIdleCallback(callback, { timeout: IDLE_TIMEOUT_MS })
    : setTimeout(callback, 1);

const isPainted = (host) => host.shadowRoot?.querySelector("[data-cp-painted]") != null;

async function mountWaiting() {
  if (mounting) return;
  mounting = true;
  try {
    glue ??= import("./widget.js");
    const { default: init, mount_pricing_widget } = await glue;
    await init({ module_or_path: await compile() });
    while (waiting.length > 0) {
      mount_pricing_widget(waiting.shift());
      if (waiting.length > 0) await yieldToBrowser();
    }
  } finally {
    mounting = false;
  }
}

// Queues a host for its widget, once.
const queued = new WeakSet();
function queue(host) {
  if (queued.has(host)) return;
  queued.add(host);
  waiting.push(host);
  mountWaiting();
}

const nearViewport = new IntersectionObserver(
  (entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const host = entry.target;
      nearViewport.unobserve(host);
      if (isPainted(host)) whenIdle(() => queue(host));
      else queue(host);
    }
  },
  { rootMargin: MARGIN },
);

// Every host is watched once (mount_pricing_widget skips a host that has its widget).
const watched = new WeakSet();
function watchHosts() {
  for (const host of document.querySelectorAll("[data-checkout-pricing]")) {
    if (watched.has(host)) continue;
    watched.add(host);
    if (isPainted(host)) {
      for (const type of INTERACTIONS) {
        host.addEventListener(type, () => queue(host), { once: true, passive: true });
      }
    } else {
      compile();
    }
    nearViewport.observe(host);
  }
}
watchHosts();

// Elements added after load (single-page sites) get their widget too. Changes inside the
// widgets' shadow roots are not observed.
let scanQueued = false;
new MutationObserver(() => {
  if (scanQueued) return;
  scanQueued = true;
  queueMicrotask(() => {
    scanQueued = false;
    watchHosts();
  });
}).observe(document.documentElement, { childList: true, subtree: true });
