#!/usr/bin/env bash
# Lighthouse (npm) on the checkout (/) and on the widget's demo page (/marketing/), desktop and
# mobile presets, against the order server serving dist/ with demo data on 127.0.0.1. Prints the
# performance score, the main-thread time, total blocking time, FCP and LCP of each run.
#
#   bench/lighthouse.sh
#
# Needs the release builds in dist/ (scripts/build-checkout.sh, scripts/build-widget.sh) and Debian's
# Chromium; installs lighthouse@12 into .tools/lighthouse on first use.
set -euo pipefail
# shellcheck source=bench/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

lh_dir="$REPO_ROOT/.tools/lighthouse"
if [[ ! -x "$lh_dir/node_modules/.bin/lighthouse" ]]; then
    mkdir -p "$lh_dir"
    npm install --prefix "$lh_dir" --no-audit --no-fund --no-save --no-package-lock --loglevel=error lighthouse@12
fi
[[ -f dist/index.html && -f dist/marketing/index.html ]] || {
    echo "lighthouse: build the app and the widget first" >&2
    exit 1
}
build_server
machine

work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$SERVER_BIN" --demo --clock 2026-11-16 --listen "127.0.0.1:$port" \
    --database-url "$work/checkout.db" --static-dir dist >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do
    curl -fsS "http://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1 && break
    sleep 0.1
done

export CHROME_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
for page in / /marketing/; do
    for preset in desktop mobile; do
        args=()
        [[ "$preset" == desktop ]] && args=(--preset=desktop)
        out="$work/lh-${page//\//_}-$preset.json"
        "$lh_dir/node_modules/.bin/lighthouse" "http://127.0.0.1:$port$page" "${args[@]}" \
            --only-categories=performance --output=json --output-path="$out" --quiet \
            --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
        python3 - "$out" "$page" "$preset" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
audits = report["audits"]
def ms(key):
    value = audits.get(key, {}).get("numericValue")
    return "n/a" if value is None else f"{value:.0f} ms"
score = report["categories"]["performance"]["score"]
print(f"lighthouse {report['lighthouseVersion']}: {sys.argv[2]:<12} {sys.argv[3]:<8} "
      f"performance {round(score * 100) if score is not None else 'n/a'}, "
      f"main-thread {ms('mainthread-work-breakdown')}, TBT {ms('total-blocking-time')}, "
      f"FCP {ms('first-contentful-paint')}, LCP {ms('largest-contentful-paint')}, "
      f"CLS {audits.get('cumulative-layout-shift', {}).get('numericValue', float('nan')):.3f}, "
      f"bootup {ms('bootup-time')}")
PY
    done
done
