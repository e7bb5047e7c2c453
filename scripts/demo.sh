#!/usr/bin/env bash
# THE run command: sets up the tools, builds the web app (release) and the order server, then
# starts the server with the demo accounts. One process serves the app and its API.
#
#   scripts/demo.sh                          # http://127.0.0.1:8080/, today's date
#   PORT=9000 scripts/demo.sh                # another port
#   CLOCK=2026-11-16 scripts/demo.sh         # fix "today" (R9), as the worked examples do
#   DATA_DIR=/tmp/demo scripts/demo.sh       # where the SQLite demo store lives (default: data/)
#
# The store is seeded once, when it is empty; delete its folder to start over. Stop with Ctrl-C.
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

ADDRESS=127.0.0.1
PORT="${PORT:-8080}"
DATA_DIR="${DATA_DIR:-$REPO_ROOT/data}"
URL="http://$ADDRESS:$PORT/"

"$REPO_ROOT/scripts/setup.sh"

printf '\n==== building the web app (scripts/build-checkout.sh) ====\n'
scripts/build-checkout.sh
printf '\n==== building the pricing widget, quote page and account pages (scripts/build-widget.sh) ====\n'
scripts/build-widget.sh
printf '\n==== building the order server (profile "server": optimised, panics unwind) ====\n'
# Not --release: that profile aborts on panic (it is tuned for the wasm bundle), so one panicking
# handler would stop the whole demo instead of answering 500.
cargo build --profile server -p checkout-server

server_args=(--listen "$ADDRESS:$PORT" --database-url "$DATA_DIR/checkout.db" --static-dir dist --demo)
if [[ -n "${CLOCK:-}" ]]; then
    server_args+=(--clock "$CLOCK")
fi

cat <<MSG

==================================================================
  Centro fatturazione: open

      $URL
      ${URL}marketing/   (demo marketing page with the pricing widget)
      ${URL}quote/       (offline quote page)

  The server prints the demo sign-ins below. Ctrl-C stops it.
==================================================================

MSG

exec "${CARGO_TARGET_DIR:-$REPO_ROOT/target}/server/checkout-server" "${server_args[@]}"
