#!/usr/bin/env bash
# Schemathesis (PyPI) against the order server's OpenAPI document (OpenAPI 3.1, generated from the
# wire types of crates/api by crates/server/src/openapi.rs), served by the server itself at
# /api/v1/openapi.json, with the demo data and the billing contact's token. Bounded: a fixed
# number of examples per operation and a time budget. Only loopback.
#
#   bench/schemathesis.sh [server-binary]     # default: the speed-tuned release build
#
# Env: ST_MAX_EXAMPLES (default 50), ST_MAX_TIME seconds (default 120), ST_CHECKS (default all),
# ST_EXCLUDE (default positive_data_acceptance: schema-valid orders are still refused by the
# billing rules, e.g. a seat count above the tier maximum or a stale expected_total, which a
# schema cannot express). Sign-out and the password change are left out: either would end or
# change the one session the whole run uses (R30); the API tests cover them.
# Installs schemathesis into .tools/schemathesis-venv on first use. Exits non-zero on failures.
set -euo pipefail
# shellcheck source=bench/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

venv="$REPO_ROOT/.tools/schemathesis-venv"
if [[ ! -x "$venv/bin/schemathesis" ]]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet schemathesis
fi
bin="${1:-}"
if [[ -z "$bin" ]]; then
    build_server
    bin="$SERVER_BIN"
fi

work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$bin" --demo --clock 2026-11-16 --listen "127.0.0.1:$port" --database-url "$work/checkout.db" \
    --static-dir /nonexistent-static-dir >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 100); do
    curl -fsS "$base/api/v1/health" >/dev/null 2>&1 && break
    sleep 0.1
done
token="$(curl -fsS -H 'Content-Type: application/json' \
    -d '{"email":"giulia.rossi@example.com","password":"demo-billing-2026"}' \
    "$base/api/v1/session" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')"

echo "schemathesis $("$venv/bin/schemathesis" --version | awk '{print $NF}') against $base/api/v1/openapi.json"
status=0
cd "$work" # schemathesis keeps its example database in the current directory
"$venv/bin/schemathesis" run "$base/api/v1/openapi.json" \
    --header "Authorization: Bearer $token" \
    --exclude-operation-id signOut --exclude-operation-id changePassword \
    --checks "${ST_CHECKS:-all}" --exclude-checks "${ST_EXCLUDE:-positive_data_acceptance}" \
    --max-examples "${ST_MAX_EXAMPLES:-50}" \
    --max-time "${ST_MAX_TIME:-120}" \
    --seed 6 --no-color --workers 2 \
    --report-dir "$work/report" || status=$?
echo "server log lines with a 5xx or a panic: $(grep -ciE 'panic|status=5[0-9][0-9]| 500 ' "$work/server.log" || true)"
exit "$status"
