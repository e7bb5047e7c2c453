# shellcheck shell=bash
# Environment shared by the project scripts. Source it, do not run it:
#
#     source scripts/env.sh
#
# It sets REPO_ROOT and puts cargo's bin folder and the project-local tools (installed by
# scripts/setup.sh into .tools/) first on PATH. Safe to source more than once and under `set -u`.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

# Versions of the tools that are not pinned by Cargo.lock. Trunk.toml must name the same ones.
export TRUNK_VERSION_REQ="~0.21"      # cargo's requirement syntax
export TRUNK_VERSION_PREFIX="0.21."   # what `trunk --version` must start with (after "trunk ")
export BINARYEN_VERSION="132"         # npm package binaryen@<this>.0.0, wasm-opt "version_<this>"
export TERSER_VERSION="5.51.4"        # npm package terser@<this>: minifies the checkout's JS glue

export TOOLS_DIR="$REPO_ROOT/.tools"
export BINARYEN_DIR="$TOOLS_DIR/binaryen"
export TERSER_DIR="$TOOLS_DIR/terser"

_checkout_path_prepend() {
    case ":$PATH:" in
        *":$1:"*) ;;
        *) PATH="$1:$PATH" ;;
    esac
}
_checkout_path_prepend "${CARGO_HOME:-$HOME/.cargo}/bin"
_checkout_path_prepend "$BINARYEN_DIR/node_modules/.bin"
_checkout_path_prepend "$TERSER_DIR/node_modules/.bin"
unset -f _checkout_path_prepend
export PATH

# small_wasm_std <name>: the environment of a release build of a browser bundle. Cargo compiles the
# standard library together with the bundle (build-std) with the `immediate-abort` panic strategy,
# so a panic traps on the spot and the bundle carries none of the standard library's panic-message
# formatting: about 15 KB brotli of the checkout's bundle (docs/performance.md, section 1). Both are
# unstable features of cargo and rustc; RUSTC_BOOTSTRAP=1 lets the pinned stable toolchain use them
# for these builds only (native builds, tests and `trunk serve` stay on plain stable). rust-src and
# the standard library's own crates come from scripts/setup.sh. The build gets a target directory
# of its own, target/<name>: a standard library and dependencies built with other flags would
# otherwise evict each other in the shared one.
small_wasm_std() {
    export RUSTC_BOOTSTRAP=1
    export CARGO_UNSTABLE_BUILD_STD="std,panic_abort"
    # The standard library's own size switch: smaller algorithms (sorts, integer formatting,
    # searches) where it has two. It saved 437 bytes brotli of the checkout, which issue 13's
    # cart and account work needed (docs/performance.md, section 1). Naming features replaces
    # the default `panic-unwind`, which these `immediate-abort` builds never use.
    export CARGO_UNSTABLE_BUILD_STD_FEATURES="optimize_for_size"
    # Added to the target's flags of .cargo/config.toml (cargo merges the two).
    export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort"
    export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$REPO_ROOT/target}/$1"
}
