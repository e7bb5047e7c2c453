#!/usr/bin/env bash
# Server load on loopback: for SQLite and for a throw-away PostgreSQL cluster, the raw rate of
# single-row transactions on the same store, then quotes/s and orders/s (10% idempotent replays)
# with p50/p90/p99 latencies, and a consistency check of the store afterwards. PostgreSQL is
# measured with one server process and with two processes on one cluster (the workers spread
# over them).
#
#   bench/load.sh [seconds-per-phase]     # default 10
#
# Env: WORKERS (default 8), ACCOUNTS (default 64). Builds the server and bench/loadgen with the
# `server` profile of Cargo.toml (opt-level 3, panic = "unwind"), into $BENCH_TARGET_DIR
# (bench/env.sh); with BENCH_PREBUILT=1 it builds nothing and runs the binaries already in
# $BENCH_TARGET_DIR/server (A/B runs of builds made beforehand, each copied into a directory of
# its own). PostgreSQL is skipped when not installed.
set -euo pipefail
# shellcheck source=bench/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

seconds="${1:-10}"
if [[ -z "${BENCH_PREBUILT:-}" ]]; then
    CARGO_TARGET_DIR="$BENCH_TARGET_DIR" cargo build --quiet --profile server -p checkout-server -p loadgen
fi
machine
backends=(sqlite)
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    backends+=(postgres)
else
    echo "load: PostgreSQL not installed (scripts/setup.sh installs it); only SQLite"
fi
for backend in "${backends[@]}"; do
    # PostgreSQL twice: one server process, then two processes on one cluster (issue 11).
    processes=(1)
    [[ "$backend" == postgres ]] && processes=(1 2)
    for count in "${processes[@]}"; do
        echo
        "$BENCH_TARGET_DIR/server/loadgen" load --backend "$backend" --seconds "$seconds" \
            --workers "${WORKERS:-8}" --accounts "${ACCOUNTS:-64}" --processes "$count" \
            --server-bin "$BENCH_TARGET_DIR/server/checkout-server"
    done
done
