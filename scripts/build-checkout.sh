#!/usr/bin/env bash
# Builds the checkout's release bundle into dist/ (`trunk build --release`: cargo, wasm-bindgen,
# the loader hook, which also prunes, minifies and runs wasm-opt -Oz: scripts/trunk-loader.mjs),
# with the standard library compiled for size into target/checkout
# (small_wasm_std in scripts/env.sh). The test command, the demo and the benchmarks build it this
# way; `trunk serve` (development) builds a debug bundle on plain stable instead.
#
#   scripts/build-checkout.sh [trunk build options]
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

small_wasm_std checkout
trunk build --release "$@"
# The brotli and gzip copies the order server sends (scripts/precompress.mjs).
node scripts/precompress.mjs dist
