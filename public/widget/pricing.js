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
//   root with the widget's markup) already shows its prices and links, so nothing is urgent. When
//   it nears the viewport and the browser is idle, the WebAssembly is only fetched and compiled
//   (streaming compilation runs off the main thread). It is instantiated on the first interaction
//   with a painted widget (pointer over it, focus in it, a key), which that widget's takeover
//   follows at once; the other painted widgets near the viewport are then taken over in idle
//   time, each without a visible change. A painted widget that names an API base
//   (`data-api-base`) also asks that server for its catalog in idle time: when the catalog's
//   version is not the one the widget was painted from (the `data-cp-painted` value), the
//   prices may have moved, and the widget is taken over at once to show the server's (S81). A page nobody touches thus spends almost nothing of its
//   main thread on the widget (issue 16: 82 ms desktop and 169 ms mobile when an idle callback
//   also instantiated it).
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
// How long idle work waits for an idle moment before it runs anyway (requestIdleCallback's
// timeout): compiling the WebAssembly for a painted widget near the viewport, and taking such a
// widget over once the WebAssembly runs.
const IDLE_TIMEOUT_MS = 5000;
// What counts as the first interaction with a painted widget: the pointer reaching it comes
// before its click, so the widget is usually live by the time the click lands.
const INTERACTIONS = ["pointerover", "focusin", "keydown"];

// The hosts that wait for their widget, mounted one per task.
const waiting = [];
// Painted hosts that came near the viewport before the WebAssembly was instantiated: taken over
// in idle time once it is.
const paintedNear = [];
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
    const first = !glue;
    glue ??= import("./widget.js");
    const { default: init, mount_pricing_widget } = await glue;
    await init({ module_or_path: await compile() });
    if (first) {
      for (const host of paintedNear.splice(0)) whenIdle(() => queue(host));
    }
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

// Takes a painted host over when its server's catalog is not the one it was painted from (S81).
// A failed request changes nothing: the painted prices are the bundled catalog's, which the
// WebAssembly would show too when the server does not answer.
function checkCatalog(host) {
  const base = host.dataset.apiBase;
  const painted = host.shadowRoot?.querySelector("[data-cp-painted]")?.dataset.cpPainted;
  if (base == null || !painted) return;
  fetch(`${base.trim().replace(/\/+$/, "")}/api/v1/catalog`)
    .then((response) => (response.ok ? response.json() : null))
    .then((catalog) => {
      if (catalog && catalog.version !== painted) queue(host);
    })
    .catch(() => {});
}

const nearViewport = new IntersectionObserver(
  (entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const host = entry.target;
      nearViewport.unobserve(host);
      if (!isPainted(host)) queue(host);
      else if (glue) whenIdle(() => queue(host));
      else {
        paintedNear.push(host);
        whenIdle(() => {
          compile();
          checkCatalog(host);
        });
      }
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
