#!/usr/bin/env bash
# The engine's criterion benchmarks (crates/billing/benches/quote.rs): a 1-item and a 10-item
# quote, and parse + quote of a 1-item order from JSON.
#
#   bench/engine.sh            # the workspace's bench profile (= release: opt-level "z", LTO)
#   bench/engine.sh speed      # the same with opt-level 3 and no LTO (bench/env.sh)
set -euo pipefail
# shellcheck source=bench/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

machine
if [[ "${1:-}" == speed ]]; then
    CARGO_PROFILE_BENCH_OPT_LEVEL=3 CARGO_PROFILE_BENCH_LTO=false CARGO_PROFILE_BENCH_CODEGEN_UNITS=16 \
        CARGO_TARGET_DIR="$BENCH_TARGET_DIR/speed" cargo bench -p billing --bench quote
else
    CARGO_TARGET_DIR="$BENCH_TARGET_DIR" cargo bench -p billing --bench quote
fi
