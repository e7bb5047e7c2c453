#!/usr/bin/env bash
# Interaction timing of the checkout in headless Chromium: 200 clicks on the seat stepper, p50/p95
# of click -> amount due updated (bench/interaction.mjs). Needs the release build of the app in
# dist/ (`scripts/build-checkout.sh`) and tests/browser/node_modules (the browser step installs it).
#
#   bench/interaction.sh [runs]     # default 3 runs of 200 clicks
set -euo pipefail
# shellcheck source=bench/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

[[ -f dist/index.html ]] || { echo "interaction: build the app first (scripts/build-checkout.sh)" >&2; exit 1; }
if [[ ! -d tests/browser/node_modules/playwright-core ]]; then
    npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
fi
build_server
machine
for run in $(seq "${1:-3}"); do
    echo "run $run"
    CHECKOUT_SERVER_BIN="$SERVER_BIN" node bench/interaction.mjs
done
