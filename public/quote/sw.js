// Service worker of the offline quote page (scope /quote/). It keeps a copy of the app shell -
// the page, its script, style sheet and WebAssembly (the catalog is bundled in it) - so the page
// opens and quotes with the network off.
//
// Network first, cache as the fallback: online, the page is always the deployed one (the file
// names carry no hash) and the copy is refreshed; offline, the copy answers.
const CACHE = "quote-shell-v1";
const SHELL = [
  "/quote/",
  "/quote/app.js",
  "/quote/quote.css",
  "/quote/quote_page.js",
  "/quote/quote_page_bg.wasm",
  "/favicon.svg",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  const inShell = url.origin === self.location.origin &&
    (url.pathname.startsWith("/quote/") || url.pathname === "/favicon.svg");
  if (request.method !== "GET" || !inShell) return;
  // Navigations to /quote/?anything (the fragment never reaches the network) use the page.
  const key = request.mode === "navigate" ? "/quote/" : request;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(key, copy));
        }
        return response;
      })
      .catch(() =>
        caches.match(key, { ignoreSearch: true }).then((cached) => cached || Response.error()),
      ),
  );
});
