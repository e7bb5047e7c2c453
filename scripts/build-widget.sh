#!/usr/bin/env bash
# Builds the three small bundles that live apart from the checkout's (Trunk builds that one):
#
#   dist/widget/widget.js, widget_bg.wasm           the pricing widget (crates/widget)
#   dist/quote/quote_page.js, quote_page_bg.wasm    the offline quote page (crates/quote-page)
#   dist/account/account.js, account_bg.wasm        the account pages (crates/account)
#   dist/widget/widget.css                          the widget's style sheet, linked by painted pages
#
# and paints the widget's first screen into the demo marketing page, dist/marketing/index.html
# (`widget-paint`, crates/widget/src/bin/widget-paint.rs; README, "Embedding the pricing widget"):
# the markup of every widget of the page, rendered from the bundled catalog by the same
# components, as a declarative shadow root the browser draws before any script runs.
#
# Their file names are stable, so a marketing page can include /widget/pricing.js for good, and
# the quote page's service worker knows what to keep; the loaders and pages themselves are in
# public/ (Trunk copies them). Run it after scripts/build-checkout.sh (`trunk build`), which empties dist/.
#
#   scripts/build-widget.sh                          # release build into dist/
#   WIDGET_OUT_DIR=/tmp/w scripts/build-widget.sh    # into /tmp/w/widget/, quote/ and account/
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

# The first paint of the demo page's widgets, rendered natively (before the wasm build's
# environment is set, so it shares the ordinary target directory and flags).
marketing_page="${MARKETING_PAGE:-$REPO_ROOT/dist/marketing/index.html}"
if [[ -f "$marketing_page" ]]; then
    cargo run --offline --quiet -p widget --bin widget-paint -- "$marketing_page"
fi

# The standard library compiled for size, in target/widget (small_wasm_std in scripts/env.sh).
small_wasm_std widget
target_dir="$CARGO_TARGET_DIR"
# `.cargo/config.toml` builds wasm with `--cfg erase_components`, which shrinks the checkout but
# makes the widget about 10 KB bigger (docs/performance.md, section 1). RUSTFLAGS replaces the
# config's flags (and the ones small_wasm_std adds to them), so it names the panic flags again.
export RUSTFLAGS="$CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS"
out_root="${WIDGET_OUT_DIR:-$REPO_ROOT/dist}"

cargo build --offline --release --target wasm32-unknown-unknown --lib -p widget -p quote-page -p account

# bundle <crate file name> <output folder> <output name>
bundle() {
    local out_dir="$out_root/$2"
    mkdir -p "$out_dir"
    wasm-bindgen --target web --no-typescript --out-dir "$out_dir" --out-name "$3" \
        "$target_dir/wasm32-unknown-unknown/release/$1.wasm"
    # The same WebAssembly features as the checkout's build (index.html), all baseline in browsers.
    # --converge repeats the -Oz passes while they still shrink the file (0.3 KB brotli on the
    # widget); other passes tried (-O4 first, --gufa, running -Oz twice) did no better.
    # --low-memory-unused as for the checkout (scripts/trunk-loader.mjs says why it is sound: the
    # stack is the first megabyte of memory, so nothing lives in its lowest kilobyte).
    wasm-opt -Oz --converge --low-memory-unused --enable-bulk-memory --enable-bulk-memory-opt \
        --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
        --enable-reference-types --enable-multivalue \
        -o "$out_dir/$3_bg.wasm" "$out_dir/$3_bg.wasm"
    # The glue minified and the names it shares with the module shortened, as the checkout's
    # release hook does (docs/performance.md, section 1); the exports a page calls keep their names.
    terser "$out_dir/$3.js" --module --compress --mangle -o "$out_dir/$3.js"
    node scripts/short-wasm-names.mjs "$out_dir/$3_bg.wasm" "$out_dir/$3.js"
}
bundle widget widget widget
# The style sheet the painted widgets link (the WebAssembly adopts the same text, compiled in).
cp crates/widget/src/widget.css "$out_root/widget/widget.css"
bundle quote_page quote quote_page
bundle account account account
# The brotli and gzip copies the order server sends (scripts/precompress.mjs); the painted page's
# too, whose copies from the checkout's build are of the page before it was painted.
painted_dir=()
[[ -f "$marketing_page" ]] && painted_dir=("$(dirname "$marketing_page")")
node scripts/precompress.mjs "$out_root/widget" "$out_root/quote" "$out_root/account" \
    "${painted_dir[@]}"
