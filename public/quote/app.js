// Loader of the offline quote page: registers the service worker that keeps the page available
// with the network off, then starts the WebAssembly app (crates/quote-page).
import init, { mount_quote_page } from "./quote_page.js";

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/quote/sw.js", { scope: "/quote/" }).catch((error) => {
    console.warn("quote page: no offline copy", error);
  });
}

await init({ module_or_path: new URL("quote_page_bg.wasm", import.meta.url) });
mount_quote_page();
