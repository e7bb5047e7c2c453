#!/usr/bin/env bash
# Where an order's server CPU goes (issue 16 item 5): runs the SQLite load of bench/load.sh once
# (8 workers, 64 accounts), records the server process with `perf` during the orders phase, and
# prints the samples grouped by what they were doing (bench/perf-classify.py).
#
#   bench/profile-orders.sh [seconds-per-phase]     # default 10; perf records 6 s of the orders
#
# Builds the server and loadgen with the `server` profile and line tables (for perf's symbols),
# into $BENCH_TARGET_DIR (bench/env.sh), unless BENCH_PREBUILT=1. The perf data and the report
# go to $PROFILE_DIR (default /tmp/profile-orders). perf slows the server down a lot (DWARF
# unwinding): read the CPU per order of a run without perf (bench/load.sh) and the shares here.
set -euo pipefail
# shellcheck source=bench/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

seconds="${1:-10}"
out="${PROFILE_DIR:-/tmp/profile-orders}"
mkdir -p "$out"
if [[ -z "${BENCH_PREBUILT:-}" ]]; then
    CARGO_PROFILE_SERVER_DEBUG=line-tables-only CARGO_TARGET_DIR="$BENCH_TARGET_DIR" \
        cargo build --quiet --profile server -p checkout-server -p loadgen
fi
machine
"$BENCH_TARGET_DIR/server/loadgen" load --backend sqlite --seconds "$seconds" \
    --workers "${WORKERS:-8}" --accounts "${ACCOUNTS:-64}" --processes 1 \
    --server-bin "$SERVER_BIN" >"$out/load.txt" 2>&1 &
loadgen=$!
# The quotes phase ends with its CPU line; the orders phase starts right after it.
until grep -q "ms per quote" "$out/load.txt"; do
    kill -0 "$loadgen" 2>/dev/null || { cat "$out/load.txt"; exit 1; }
    sleep 0.2
done
server=$(pgrep -n -f "^$SERVER_BIN ")
perf record -F 499 --call-graph dwarf,8192 -p "$server" -o "$out/orders.perf" -- sleep 6 \
    >"$out/perf.log" 2>&1
wait "$loadgen"
cat "$out/load.txt"
perf script -F comm,ip,sym -i "$out/orders.perf" 2>/dev/null >"$out/orders.script"
python3 "$BENCH_DIR/perf-classify.py" "$out/orders.script"
