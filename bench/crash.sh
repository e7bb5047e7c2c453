#!/usr/bin/env bash
# Crash safety: order load, SIGKILL of the server mid-load, restart, check that every order
# answered 201 is stored exactly once with its idempotency record, that no order, line or
# idempotency record is partial or orphaned, and that each account's credit and seats equal its
# order history; then acknowledged orders are replayed through the restarted server. On SQLite,
# then on a throw-away PostgreSQL cluster when PostgreSQL is installed, with one server process
# and then with two on the cluster (the first killed each round, the other serving on).
#
#   bench/crash.sh [rounds]     # default 5 kill/restart rounds per store
#
# Exits non-zero on any violation. Builds with the `server` profile of Cargo.toml (opt-level 3,
# panic = "unwind"), into $BENCH_TARGET_DIR (bench/env.sh).
set -euo pipefail
# shellcheck source=bench/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

CARGO_TARGET_DIR="$BENCH_TARGET_DIR" cargo build --quiet --profile server -p checkout-server -p loadgen
machine
backends=(sqlite)
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    backends+=(postgres)
fi
for backend in "${backends[@]}"; do
    "$BENCH_TARGET_DIR/server/loadgen" crash --backend "$backend" --rounds "${1:-5}" --workers 8 \
        --accounts 32 --kill-after-ms 1000 --server-bin "$BENCH_TARGET_DIR/server/checkout-server"
done
# The multi-process set-up (issue 11): two processes on one PostgreSQL cluster, the first one
# killed and restarted each round while the other keeps taking orders.
if [[ " ${backends[*]} " == *" postgres "* ]]; then
    "$BENCH_TARGET_DIR/server/loadgen" crash --backend postgres --processes 2 --rounds "${1:-5}" \
        --workers 8 --accounts 32 --kill-after-ms 1000 \
        --server-bin "$BENCH_TARGET_DIR/server/checkout-server"
fi
