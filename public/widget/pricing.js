// Loader of the pricing widget. A marketing page includes it once:
//
//   <script type="module" src="https://billing.example.com/widget/pricing.js"></script>
//
// It loads the widget's WebAssembly from next to itself and mounts a widget into every
// <div data-checkout-pricing data-product=...> of the page, including those the page adds later
// (see README, "Embedding the pricing widget"). No inline script and no third-party code, so it
// runs under a strict CSP.
import init, { mount_pricing_widgets } from "./widget.js";

await init({ module_or_path: new URL("widget_bg.wasm", import.meta.url) });
mount_pricing_widgets();

// Elements added after load (single-page sites) get their widget too. Widgets already mounted
// have a shadow root and are skipped; changes inside the widgets' shadow roots are not observed.
let queued = false;
new MutationObserver(() => {
  if (queued) return;
  queued = true;
  queueMicrotask(() => {
    queued = false;
    mount_pricing_widgets();
  });
}).observe(document.documentElement, { childList: true, subtree: true });
