#!/usr/bin/env bash
# Builds the pricing widget and offline quote bundle (crates/widget) into dist/widget/:
#
#   dist/widget/widget.js, widget_bg.wasm   the wasm-bindgen module and its WebAssembly
#
# It is a bundle of its own, apart from the checkout's (Trunk builds that one), with stable file
# names, so a marketing page can include /widget/pricing.js (copied from public/ by Trunk) for
# good. Run it after `trunk build`, which empties dist/.
#
#   scripts/build-widget.sh                          # release build into dist/widget/
#   WIDGET_OUT_DIR=/tmp/w scripts/build-widget.sh    # elsewhere
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

target_dir="${CARGO_TARGET_DIR:-$REPO_ROOT/target}"
out_dir="${WIDGET_OUT_DIR:-$REPO_ROOT/dist/widget}"

cargo build --offline --release --target wasm32-unknown-unknown -p widget
mkdir -p "$out_dir"
wasm-bindgen --target web --no-typescript --out-dir "$out_dir" --out-name widget \
    "$target_dir/wasm32-unknown-unknown/release/widget.wasm"
# The same WebAssembly features as the checkout's build (index.html), all baseline in browsers.
wasm-opt -Oz --enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    -o "$out_dir/widget_bg.wasm" "$out_dir/widget_bg.wasm"
