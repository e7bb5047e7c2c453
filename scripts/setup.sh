#!/usr/bin/env bash
# Installs the tools the project needs, skipping whatever is already there at the right version.
#
#   scripts/setup.sh
#
# - the Rust toolchain pinned in rust-toolchain.toml (with its wasm32-unknown-unknown target and
#   the rustfmt, clippy and rust-src components), and the crates the standard library's own build
#   needs (the browser bundles compile it: see
#   small_wasm_std in scripts/env.sh);
# - trunk 0.21.x (`cargo install --locked`; trunk 0.22 needs a newer rustc);
# - wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in Cargo.lock;
# - wasm-opt from the npm package binaryen@$BINARYEN_VERSION, into .tools/ (gitignored);
# - terser from the npm package terser@$TERSER_VERSION, into .tools/ (the checkout's JS glue);
# - chromium from apt-get for the browser tests (never a downloaded browser);
# - the browser tests' npm packages (`npm ci` in tests/browser);
# - every crate of Cargo.lock, for all targets, so that the offline Trunk build finds them.
#
# Idempotent and quick when everything is present. Other scripts run it, then `source
# scripts/env.sh` to get the same PATH. Expects a Debian machine with rustup and cargo in
# ~/.cargo/bin; Node.js/npm is installed with apt-get when missing and running as root.
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

say() { printf '[setup] %s\n' "$*"; }
die() {
    printf '[setup] ERROR: %s\n' "$*" >&2
    exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }

# Two scripts started together (say, test and demo) must not install the same tool twice at once.
mkdir -p "$TOOLS_DIR"
exec 9>"$TOOLS_DIR/.setup.lock"
if have flock; then
    flock 9
fi

# --- Rust toolchain ---------------------------------------------------------------------------

have cargo || die "cargo not found. Install Rust with rustup (https://rustup.rs) so that cargo is in ~/.cargo/bin."
have rustup || die "rustup not found; it installs the toolchain that rust-toolchain.toml pins."

# rust-toolchain.toml pins the exact toolchain, its components and the wasm target; rustup installs
# whatever of it is missing and leaves the rest alone. (`rustup toolchain install` without a name
# reads that file from rustup 1.28 on; older rustups install it on their first `rustup show`.)
if ! rustup toolchain install >/dev/null 2>&1; then
    rustup show active-toolchain >/dev/null
fi
pinned="$(awk -F'"' '/^channel *=/ { print $2; exit }' rust-toolchain.toml)"
[[ -n "$pinned" ]] || die "rust-toolchain.toml names no channel"
rustc --version | grep -q "^rustc $pinned " ||
    die "rustc is $(rustc --version), not the $pinned that rust-toolchain.toml pins"
say "rust toolchain $pinned: present"
rustup target list --installed | grep -qx 'wasm32-unknown-unknown' ||
    die "the wasm32-unknown-unknown target of rust-toolchain.toml is not installed"
for component in rustfmt clippy rust-src; do
    rustup component list --installed | grep -q "^${component}\b" ||
        die "the $component component of rust-toolchain.toml is not installed"
done

# The release builds of the browser bundles compile the standard library (small_wasm_std in
# scripts/env.sh) under Trunk's `cargo --offline`, so its crates must be in cargo's cache first.
std_manifest="$(rustc --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml"
if RUSTC_BOOTSTRAP=1 cargo fetch --offline --manifest-path "$std_manifest" >/dev/null 2>&1; then
    say "standard library crates: present"
else
    say "standard library crates: fetching them"
    RUSTC_BOOTSTRAP=1 cargo fetch --manifest-path "$std_manifest"
fi

# --- trunk ------------------------------------------------------------------------------------

trunk_version="$(trunk --version 2>/dev/null | awk '{print $2}' || true)"
if [[ "$trunk_version" == "$TRUNK_VERSION_PREFIX"* ]]; then
    say "trunk $trunk_version: present"
else
    if [[ -n "$trunk_version" ]]; then
        say "trunk $trunk_version: wrong version, replacing it with $TRUNK_VERSION_REQ"
    else
        say "trunk: missing, installing $TRUNK_VERSION_REQ (compiles from source, several minutes)"
    fi
    cargo install --locked --force trunk --version "$TRUNK_VERSION_REQ"
    trunk_version="$(trunk --version | awk '{print $2}')"
    [[ "$trunk_version" == "$TRUNK_VERSION_PREFIX"* ]] || die "trunk reports version '$trunk_version' after install"
    say "trunk $trunk_version: installed"
fi

# --- wasm-bindgen-cli -------------------------------------------------------------------------

[[ -f Cargo.lock ]] || die "Cargo.lock is missing; it pins the wasm-bindgen version."
# The version of the `wasm-bindgen` package in Cargo.lock: the CLI must match it exactly.
bindgen_wanted="$(awk '
    /^\[\[package\]\]/ { name = "" }
    /^name = /         { name = $3 }
    /^version = / && name == "\"wasm-bindgen\"" { gsub(/"/, "", $3); print $3; exit }
' Cargo.lock)"
[[ -n "$bindgen_wanted" ]] || die "could not find the wasm-bindgen package in Cargo.lock"

# Trunk runs offline and looks the tools up by the versions written in Trunk.toml.
grep -Eq "^wasm_bindgen *= *\"$bindgen_wanted\"" Trunk.toml ||
    die "Trunk.toml [tools] wasm_bindgen must be \"$bindgen_wanted\" (the version in Cargo.lock)"
grep -Eq "^wasm_opt *= *\"version_$BINARYEN_VERSION\"" Trunk.toml ||
    die "Trunk.toml [tools] wasm_opt must be \"version_$BINARYEN_VERSION\" (BINARYEN_VERSION in scripts/env.sh)"

bindgen_version="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [[ "$bindgen_version" == "$bindgen_wanted" ]]; then
    say "wasm-bindgen-cli $bindgen_version: present"
else
    if [[ -n "$bindgen_version" ]]; then
        say "wasm-bindgen-cli $bindgen_version: wrong version, replacing it with $bindgen_wanted"
    else
        say "wasm-bindgen-cli: missing, installing $bindgen_wanted (compiles from source, a few minutes)"
    fi
    # Not --locked: the CLI's own lock file may ask for a newer rustc than ours.
    cargo install --force wasm-bindgen-cli --version "$bindgen_wanted"
    bindgen_version="$(wasm-bindgen --version | awk '{print $2}')"
    [[ "$bindgen_version" == "$bindgen_wanted" ]] || die "wasm-bindgen reports version '$bindgen_version' after install"
    say "wasm-bindgen-cli $bindgen_version: installed"
fi

# --- wasm-opt (binaryen from npm) -------------------------------------------------------------

wasm_opt="$BINARYEN_DIR/node_modules/.bin/wasm-opt"
wasm_opt_version="$("$wasm_opt" --version 2>/dev/null | awk '{print $3}' || true)"
if [[ "$wasm_opt_version" == "$BINARYEN_VERSION" ]]; then
    say "wasm-opt version $wasm_opt_version: present in ${BINARYEN_DIR#"$REPO_ROOT"/}"
else
    if ! have npm; then
        if have apt-get && [[ "$(id -u)" == 0 ]]; then
            say "npm: missing, installing nodejs and npm with apt-get"
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
        else
            die "npm not found: install Node.js and npm (needed for binaryen's wasm-opt)"
        fi
    fi
    say "wasm-opt: installing binaryen@$BINARYEN_VERSION.0.0 from npm into ${BINARYEN_DIR#"$REPO_ROOT"/}"
    rm -rf "$BINARYEN_DIR"
    mkdir -p "$BINARYEN_DIR"
    npm install --prefix "$BINARYEN_DIR" --no-audit --no-fund --no-save --no-package-lock \
        --loglevel=error "binaryen@$BINARYEN_VERSION.0.0"
    wasm_opt_version="$("$wasm_opt" --version | awk '{print $3}')"
    [[ "$wasm_opt_version" == "$BINARYEN_VERSION" ]] || die "wasm-opt reports version '$wasm_opt_version' after install"
    say "wasm-opt version $wasm_opt_version: installed"
fi

# --- terser (minifies the checkout's JS glue, from npm) -----------------------------------------

# Trunk 0.21's own JS minifier cannot parse the module wasm-bindgen writes, so the release build's
# post-build hook (scripts/trunk-loader.mjs) minifies it with terser: 1.3 KB brotli of the
# checkout's 150 KB budget (docs/performance.md, section 1).
terser="$TERSER_DIR/node_modules/.bin/terser"
terser_version="$("$terser" --version 2>/dev/null | awk '{print $2}' || true)"
if [[ "$terser_version" == "$TERSER_VERSION" ]]; then
    say "terser $terser_version: present in ${TERSER_DIR#"$REPO_ROOT"/}"
else
    have npm || die "npm not found: install Node.js and npm (needed for terser)"
    say "terser: installing terser@$TERSER_VERSION from npm into ${TERSER_DIR#"$REPO_ROOT"/}"
    rm -rf "$TERSER_DIR"
    mkdir -p "$TERSER_DIR"
    npm install --prefix "$TERSER_DIR" --no-audit --no-fund --no-save --no-package-lock \
        --loglevel=error "terser@$TERSER_VERSION"
    terser_version="$("$terser" --version | awk '{print $2}')"
    [[ "$terser_version" == "$TERSER_VERSION" ]] || die "terser reports version '$terser_version' after install"
    say "terser $terser_version: installed"
fi

# --- Chromium (the browser tests) --------------------------------------------------------------

# The browser tests drive the system Chromium through playwright-core; nothing downloads a browser.
if have chromium || [[ -x /usr/bin/chromium ]]; then
    say "chromium: present"
elif have apt-get && [[ "$(id -u)" == 0 ]]; then
    say "chromium: missing, installing it with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
else
    say "chromium: missing and not root; install it (apt-get install chromium) for the browser tests"
fi

# --- Browser test dependencies (tests/browser) ------------------------------------------------

# playwright-core and axe-core exactly as tests/browser/package-lock.json pins them, installed with
# `npm ci` into tests/browser/node_modules (gitignored). playwright-core never downloads a browser:
# the tests launch the system Chromium above.
browser_tests="$REPO_ROOT/tests/browser"
if [[ -f "$browser_tests/package-lock.json" ]]; then
    if cmp -s "$browser_tests/package-lock.json" "$browser_tests/node_modules/.installed-lock.json"; then
        say "browser test packages (tests/browser): present"
    else
        say "browser test packages (tests/browser): npm ci"
        PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$browser_tests" --no-audit --no-fund --loglevel=error
        cp "$browser_tests/package-lock.json" "$browser_tests/node_modules/.installed-lock.json"
    fi
fi

# --- PostgreSQL (the order server's store tests) --------------------------------------------

# crates/server tests its store on SQLite and on a throw-away PostgreSQL cluster started from
# /usr/lib/postgresql/*/bin; without those binaries the PostgreSQL tests are skipped, except when
# CI is set: then they fail.
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    say "postgresql: present"
elif have apt-get && [[ "$(id -u)" == 0 ]]; then
    say "postgresql: missing, installing it with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
else
    say "postgresql: missing and not root; the order server's PostgreSQL tests will be skipped (and fail when CI is set)"
fi

# --- brotli (bench/budgets.sh measures the bundles as a server would send them) ---------------

if have brotli || python3 -c 'import brotli' >/dev/null 2>&1; then
    say "brotli: present"
elif have apt-get && [[ "$(id -u)" == 0 ]]; then
    say "brotli: missing, installing it with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq brotli
else
    say "brotli: missing and not root; bench/budgets.sh needs the brotli command or Python's brotli module"
fi

# --- crates -----------------------------------------------------------------------------------

# `cargo fetch` downloads the crates of every target, including the wasm-only ones that a native
# build never touches; Trunk then builds with --offline. In CI the lock file must be up to date.
fetch_args=()
if [[ "${CI:-}" == "true" ]]; then
    fetch_args+=(--locked)
fi
say "crates: cargo fetch ${fetch_args[*]}"
cargo fetch --quiet "${fetch_args[@]}"

say "all tools present"
