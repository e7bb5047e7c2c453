#!/usr/bin/env bash
# THE test command: sets up the tools, then runs every check of the project, in order, stopping at
# the first failure.
#
#   scripts/test.sh            # all steps
#   scripts/test.sh fmt clippy # only the named steps (setup always runs first)
#   scripts/test.sh --list     # the step names
#
# To add a check, write a `step_<name>` function below and add `<name>` to STEPS.
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

# The checks, in the order they run. Cheap ones first, so that a mistake fails fast.
# widget-build comes before browser: the account pages' browser tests need their bundle.
STEPS=(fmt clippy test wasm-engine trunk-build widget-build browser budgets browser-widget bench-smoke)

step_fmt() {
    cargo fmt --all -- --check
}

step_clippy() {
    cargo clippy --workspace --all-targets -- -D warnings
    # The browser bundles' code behind `cfg(target_arch = "wasm32")` (fetch, History API, Intl),
    # which the native run above never compiles: a merge that breaks it would otherwise first
    # show in the release build.
    cargo clippy --target wasm32-unknown-unknown -p checkout -p ui -p widget -p account \
        -p quote-page --lib --no-deps -- -D warnings
}

step_test() {
    cargo test --workspace
}

# The engine must build for the browser on its own (no I/O, no clock, no threads).
step_wasm-engine() {
    cargo build -p billing --lib --target wasm32-unknown-unknown --release
}

# The web app as it ships: release build, wasm-bindgen, wasm-opt -Oz. Trunk.toml keeps it offline.
step_trunk-build() {
    scripts/build-checkout.sh
    report_bundle_size
}

# The checkout and the account pages in the system Chromium against the real order server with
# demo data and a fixed clock (tests/browser/*.test.mjs: every flow, axe-core, screenshots in
# docs/screenshots/). After trunk-build and widget-build (the account pages' bundle).
step_browser() {
    cargo build --offline -p checkout-server
    (cd tests/browser && node --test --test-concurrency=1 ./*.test.mjs)
}

# The pricing widget (crates/widget), the offline quote page (crates/quote-page) and the account
# pages (crates/account), bundles of their own apart from the checkout's, into dist/widget/,
# dist/quote/ and dist/account/. Runs after trunk-build, which empties dist/.
step_widget-build() {
    scripts/build-widget.sh
    report_bundle_size dist/widget
    report_bundle_size dist/quote
    report_bundle_size dist/account
}

# The widget and the offline quote page in the system Chromium (tests/browser/widget/).
step_browser-widget() {
    cargo build --offline -p checkout-server
    if [[ ! -d tests/browser/widget/node_modules/playwright-core ]]; then
        npm ci --prefix tests/browser/widget --no-audit --no-fund --loglevel=error
    fi
    (cd tests/browser/widget && node --test --test-concurrency=1)
}

# Prints the size of the shipped .wasm and .js of a folder (default dist/), raw and compressed as a
# server would send them (brotli when the `brotli` command or Python's brotli module is there).
report_bundle_size() {
    local file raw gz br dir=${1:-dist}
    for file in "$dir"/*.wasm "$dir"/*.js; do
        [[ -f "$file" ]] || continue
        raw=$(wc -c <"$file")
        gz=$(gzip -9 -c "$file" | wc -c)
        br=""
        if command -v brotli >/dev/null 2>&1; then
            br=$(brotli -c -q 11 "$file" | wc -c)
        elif python3 -c 'import brotli' >/dev/null 2>&1; then
            br=$(python3 -c 'import brotli, sys; print(len(brotli.compress(open(sys.argv[1], "rb").read(), quality=11)))' "$file")
        fi
        printf 'bundle: %-45s %8d bytes raw, %7d gzip -9%s\n' "$file" "$raw" "$gz" "${br:+, $br brotli -q 11}"
    done
}

# Short smoke runs of the benchmarks of bench/ (docs/performance.md has the full ones): a load of
# about 2 s on SQLite and a few seconds of each fuzz target print figures and are never compared
# with a target; one SIGKILL crash-safety round checks the store and fails the step when an
# acknowledged order is lost or anything is partial.
step_bench-smoke() {
    bench/smoke.sh
}

# Size budgets of the bundles in dist/ (bench/budgets.sh), after trunk-build and widget-build:
# checkout at most 150 KB brotli, widget at most 80 KB, account pages at most 90 KB
# (docs/performance.md, section 1).
step_budgets() {
    bench/budgets.sh
}

# --- runner -----------------------------------------------------------------------------------

banner() {
    printf '\n==== %s ====\n' "$*"
}

# A failing command inside a step ends the script (set -e); the EXIT trap then names the step.
# (Steps are not run as `if step_x`, because bash ignores set -e inside a condition.)
current_step=""
rerun_hint=""
step_started=$SECONDS
passed=0
on_exit() {
    local status=$?
    if ((status != 0)) && [[ -n "$current_step" ]]; then
        printf '\n==== FAILED: %s (exit %d after %ds). Re-run it alone with: %s ====\n' \
            "$current_step" "$status" $((SECONDS - step_started)) "$rerun_hint" >&2
        printf 'steps: %d passed, 1 failed\n' "$passed"
    fi
}
trap on_exit EXIT

run_step() {
    local name=$1
    current_step="step $name"
    rerun_hint="scripts/test.sh $name"
    step_started=$SECONDS
    banner "step $name"
    "step_$name"
    printf '==== ok: step %s (%ds) ====\n' "$name" $((SECONDS - step_started))
    current_step=""
    passed=$((passed + 1))
}

if [[ "${1:-}" == "--list" ]]; then
    printf '%s\n' "${STEPS[@]}"
    exit 0
fi

selected=("$@")
if ((${#selected[@]} == 0)); then
    selected=("${STEPS[@]}")
fi
for name in "${selected[@]}"; do
    declare -F "step_$name" >/dev/null || {
        printf 'unknown step "%s"; steps: %s\n' "$name" "${STEPS[*]}" >&2
        exit 2
    }
done

total_started=$SECONDS
current_step="setup"
rerun_hint="scripts/setup.sh"
step_started=$SECONDS
banner "setup"
"$REPO_ROOT/scripts/setup.sh"
current_step=""

for name in "${selected[@]}"; do
    run_step "$name"
done

banner "all steps passed in $((SECONDS - total_started))s: ${selected[*]}"
printf 'steps: %d passed, 0 failed\n' "$passed"
