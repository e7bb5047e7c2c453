#!/usr/bin/env bash
# Short smoke versions of the benchmarks, for the test command (scripts/test.sh bench-smoke):
# a ~2 s load on SQLite (figures printed, never compared with a target), one SIGKILL crash-safety
# round (its consistency check fails the step), and a few seconds of each fuzz target. Uses the
# dev builds of the default target directory.
set -euo pipefail
# shellcheck source=bench/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

cargo build --quiet -p checkout-server -p loadgen
target="${CARGO_TARGET_DIR:-$REPO_ROOT/target}/debug"
echo "bench-smoke: load (debug build; figures are not comparable with docs/performance.md)"
"$target/loadgen" load --backend sqlite --seconds 2 --workers 4 --accounts 16 \
    --server-bin "$target/checkout-server"
echo "bench-smoke: crash safety, one round"
"$target/loadgen" crash --rounds 1 --workers 4 --accounts 8 --kill-after-ms 700 \
    --server-bin "$target/checkout-server"
# With a nightly toolchain the targets run under AddressSanitizer; without one, on the stable
# compiler without a sanitizer (bench/fuzz.sh): either way a crash or a broken property fails here.
echo "bench-smoke: fuzz, 5 s per target"
"$BENCH_DIR/fuzz.sh" 5
