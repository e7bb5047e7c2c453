#!/usr/bin/env bash
# Size budgets of what the browser downloads, measured in dist/ after the release builds
# (scripts/test.sh trunk-build and widget-build): raw, gzip -9 and brotli -q 11 bytes of every
# .wasm, .js and .css of the checkout (dist/), of the pricing widget (dist/widget/) and of the
# account pages (dist/account/), and the brotli total of each against its budget. Exits non-zero when a bundle is missing or a total is
# over its budget.
#
#   bench/budgets.sh [dist-dir]     # default dist
#
# Budgets (issue 6): checkout at most 150 KB brotli, widget at most 80 KB brotli (1 KB = 1000
# bytes; the Leptos 0.8 counter example, the baseline, is 29.6 KB brotli). Issue 15: the account
# pages, a bundle of their own, at most 110 KB brotli: 90 KB when they held the settings alone,
# raised when the billing history, renewals' receipts and "Paga ora" moved in (S107; 83.5 ->
# 106.7 KB, docs/performance.md). They load only on /account/ pages, never on the checkout's
# first paint or a marketing page.
set -euo pipefail
# shellcheck source=bench/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

dist="${1:-dist}"
CHECKOUT_BUDGET=150000
WIDGET_BUDGET=80000
ACCOUNT_BUDGET=110000

brotli_size() {
    if command -v brotli >/dev/null 2>&1; then
        brotli -c -q 11 "$1" | wc -c
    else
        python3 -c 'import brotli, sys; print(len(brotli.compress(open(sys.argv[1], "rb").read(), quality=11)))' "$1"
    fi
}
if ! command -v brotli >/dev/null 2>&1 && ! python3 -c 'import brotli' >/dev/null 2>&1; then
    echo "budgets: neither the brotli command nor Python's brotli module; scripts/setup.sh installs it" >&2
    exit 1
fi

failed=0
# measure <name> <budget> <dir>: prints one line per file and the totals; fails above the budget.
measure() {
    local name=$1 budget=$2 dir=$3 file raw gz br total_raw=0 total_gz=0 total_br=0 count=0
    for file in "$dir"/*.wasm "$dir"/*.js "$dir"/*.css; do
        [[ -f "$file" ]] || continue
        raw=$(wc -c <"$file")
        gz=$(gzip -9 -c "$file" | wc -c)
        br=$(brotli_size "$file")
        printf 'budgets: %-8s %-48s %8d raw %8d gzip %8d brotli\n' "$name" "${file#"$dist"/}" "$raw" "$gz" "$br"
        total_raw=$((total_raw + raw))
        total_gz=$((total_gz + gz))
        total_br=$((total_br + br))
        count=$((count + 1))
    done
    if ! compgen -G "$dir/*.wasm" >/dev/null; then
        echo "budgets: $name: no .wasm in $dir (build it first)" >&2
        failed=1
        return
    fi
    local verdict="ok, $((budget - total_br)) bytes under"
    if ((total_br > budget)); then
        verdict="OVER by $((total_br - budget)) bytes (fails)"
        failed=1
    fi
    printf 'budgets: %-8s TOTAL of %d files %27d raw %8d gzip %8d brotli; budget %d brotli: %s\n' \
        "$name" "$count" "$total_raw" "$total_gz" "$total_br" "$budget" "$verdict"
}

measure checkout "$CHECKOUT_BUDGET" "$dist"
measure widget "$WIDGET_BUDGET" "$dist/widget"
measure account "$ACCOUNT_BUDGET" "$dist/account"
exit "$failed"
