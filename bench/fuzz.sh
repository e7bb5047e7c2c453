#!/usr/bin/env bash
# Runs the cargo-fuzz targets of fuzz/ (libFuzzer) for a bounded time each:
#   order_request  arbitrary bytes into the order request parser (no panic; round trip)
#   quote          structured accounts and orders into the quote (no panic; lines sum to the
#                  subtotal, subtotal + tax = total, credit settled, placing = quoting)
#
#   bench/fuzz.sh [seconds-per-target]     # default 60
#
# Needs a nightly toolchain (`cargo +nightly`); without one it uses the stable compiler with
# RUSTC_BOOTSTRAP=1 and no sanitizer. Installs cargo-fuzz with `cargo install` when missing.
# The worked examples of the billing rules seed the parser's corpus. Exits non-zero on a crash;
# libFuzzer then writes the input to fuzz/artifacts/<target>/.
set -euo pipefail
# shellcheck source=bench/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

seconds="${1:-60}"
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz: installing cargo-fuzz"
    cargo install --locked cargo-fuzz
fi
toolchain=(+nightly)
sanitizer=(--sanitizer address)
if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "fuzz: no nightly toolchain; using stable with RUSTC_BOOTSTRAP=1 and no sanitizer"
    export RUSTC_BOOTSTRAP=1
    toolchain=()
    sanitizer=(--sanitizer none)
fi
echo "fuzz: $(cargo "${toolchain[@]}" --version), $(cargo fuzz --version), ${seconds}s per target"

seeds="$(mktemp -d)"
trap 'rm -rf "$seeds"' EXIT
for example in crates/billing/tests/worked-examples/*/; do
    cp "$example/order.json" "$seeds/$(basename "$example").json"
done
printf '%s' '{"items":[{"op":"change","subscription":"sub_1","tier":"business","seats":8,"frequency":"annual"},{"op":"buy","product":"webinar","tier":"standard","seats":3,"frequency":"monthly"},{"op":"trial","product":"remote-support","tier":"standard"},{"op":"cancel","subscription":"sub_2"},{"op":"resume","subscription":"sub_3"},{"op":"reactivate","subscription":"sub_4","tier":"pro","seats":2,"frequency":"annual"}],"vat_id":"IT00743110157","expected_total":"93.94","payment_method":"pm_1","as_of":"2026-11-16"}' >"$seeds/api-md.json"

for target in order_request quote; do
    corpus="fuzz/corpus/$target"
    mkdir -p "$corpus"
    extra=()
    [[ "$target" == order_request ]] && extra=("$seeds")
    echo "fuzz: $target for ${seconds}s"
    # -print_final_stats prints the executions per second and the coverage reached.
    status=0
    cargo "${toolchain[@]}" fuzz run "${sanitizer[@]}" --fuzz-dir fuzz "$target" "$corpus" "${extra[@]}" -- \
        -max_total_time="$seconds" -print_final_stats=1 -max_len=4096 >"$seeds/$target.log" 2>&1 || status=$?
    grep -E '^(stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)|Done|INFO: (Loaded|seed corpus)|==[0-9]+==|SUMMARY|thread .* panicked|.*assertion)' "$seeds/$target.log" || true
    if [[ "$status" != 0 ]]; then
        tail -40 "$seeds/$target.log" >&2
        echo "fuzz: $target FAILED (exit $status); the crashing input is in fuzz/artifacts/$target/" >&2
        exit 1
    fi
done
echo "fuzz: no crash"
