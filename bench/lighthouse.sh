#!/usr/bin/env bash
# Lighthouse (npm) on the checkout (/) and on the widget's demo page (/marketing/), desktop and
# mobile presets, against the order server serving dist/ with demo data on 127.0.0.1. Prints the
# performance score, the main-thread time, total blocking time, FCP and LCP of each run.
#
# For the widget's page it also prints the main-thread time attributed to the widget's own files
# (the loader pricing.js, widget.js, widget_bg.wasm), computed from the run's trace the way
# Lighthouse's `bootup-time` audit computes its per-URL rows (which is what the third-party-web
# dataset sums per third party), but without that audit's 50 ms cut-off, which hides small rows:
# total, scripting, parse/compile and the rest (style, layout and garbage collection inside the
# widget's own tasks), then the page's style/layout and rendering that no script is on the stack
# of ("unattributable"): the browser's rendering updates after the widget changed the DOM land
# there, together with the page's own, so Lighthouse cannot tell the widget's share of them.
#
#   bench/lighthouse.sh
#   PAGES=/marketing/ RUNS=3 bench/lighthouse.sh    # only the widget's page, three runs
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

# Reads a run's saved trace and devtools log with Lighthouse's own modules and prints the widget's
# share of the main thread (see the header). Lighthouse's per-URL attribution: a task belongs to the
# first script URL on the stack of the task or of the task that scheduled it, else to its first URL.
cat >"$work/widget-main-thread.mjs" <<'JS'
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const [lighthouse, base, label] = process.argv.slice(2);
const lh = (path) => import(pathToFileURL(`${lighthouse}/core/${path}`).href);
const { MainThreadTasks } = await lh("computed/main-thread-tasks.js");
const { NetworkRecords } = await lh("computed/network-records.js");
const { getJavaScriptURLs, getAttributableURLForTask } = await lh("lib/tracehouse/task-summary.js");
const report = JSON.parse(readFileSync(`${base}.json`, "utf8"));
const trace = JSON.parse(readFileSync(`${base}-0.trace.json`, "utf8"));
const devtoolsLog = JSON.parse(readFileSync(`${base}-0.devtoolslog.json`, "utf8"));
const context = { computedCache: new Map() };
const tasks = await MainThreadTasks.request(trace, context);
const jsURLs = getJavaScriptURLs(await NetworkRecords.request(devtoolsLog, context));
// Like bootup-time, scale the observed times by the simulated CPU slowdown (4x on mobile).
const settings = report.configSettings;
const multiplier = settings.throttlingMethod === "simulate" ? settings.throttling.cpuSlowdownMultiplier : 1;
const isWidget = (url) => /\/widget\/(pricing\.js|widget\.js|widget_bg\.wasm)$/.test(url);
const attributed = tasks.map((task) => ({ task, url: getAttributableURLForTask(task, jsURLs) }));
const widgetStart = Math.min(...attributed.filter(({ url }) => isWidget(url)).map(({ task }) => task.startTime));
// Sums the (scaled) self time of the tasks that `keep` accepts, by task group.
const sum = (keep) => {
  const groups = {};
  for (const { task, url } of attributed) {
    if (keep(task, url)) groups[task.group.id] = (groups[task.group.id] ?? 0) + task.selfTime * multiplier;
  }
  return groups;
};
const widget = sum((_, url) => isWidget(url));
// The same tasks' thread CPU time (the trace's `tdur`), scaled alike: unlike the wall time that
// Lighthouse sums, it leaves out the time the main thread waited for a core, so it moves less when
// other processes share the machine.
const cpu = attributed
  .filter(({ task, url }) => !task.parent && isWidget(url))
  .reduce((total, { task }) => total + ((task.event.tdur ?? task.event.dur) / 1000) * multiplier, 0);
// Style, layout and paint run in the browser's rendering updates, with no script on the stack:
// Lighthouse gives them to the page (or to nobody). The demo page runs no script of its own, so
// those after the widget's first task are what its DOM changes cost, plus the page's late work.
const page = new Set([report.mainDocumentUrl, report.finalDisplayedUrl, "Unattributable"]);
const before = sum((task, url) => page.has(url) && task.startTime < widgetStart);
const after = sum((task, url) => page.has(url) && task.startTime >= widgetStart);
const ms = (value) => `${Math.round(value ?? 0)} ms`;
const total = Object.values(widget).reduce((a, b) => a + b, 0);
const { scriptEvaluation: scripting = 0, scriptParseCompile: parse = 0 } = widget;
const rows = (report.audits["bootup-time"].details?.items ?? []).filter((item) => isWidget(item.url));
const rendering = (groups) =>
  `style/layout ${ms(groups.styleLayout)}, paint/composite ${ms(groups.paintCompositeRender)}`;
console.log(
  `  widget files ${label}: scripting + parse/compile ${ms(scripting + parse)} ` +
    `(scripting ${ms(scripting)}, parse/compile ${ms(parse)}); total ${ms(total)} ` +
    `(${rendering(widget)}, GC ${ms(widget.garbageCollection)}, other ${ms(widget.other)}); ` +
    `thread CPU ${ms(cpu)}; bootup-time rows: ${rows.map((item) => `${item.url.replace(/.*\//, "")} ${ms(item.total)}`).join(", ") || "none over 50 ms"}`,
);
console.log(
  `  page rendering ${label}, not attributed to the widget: after its first task ${rendering(after)}; ` +
    `before it ${rendering(before)}`,
);
JS

export CHROME_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
for run in $(seq "${RUNS:-1}"); do
    for page in ${PAGES:-/ /marketing/}; do
        for preset in desktop mobile; do
            args=()
            [[ "$preset" == desktop ]] && args=(--preset=desktop)
            [[ "$page" == /marketing/ ]] && args+=(--save-assets)
            base="$work/lh-${page//\//_}-$preset-$run"
            out="$base.json"
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
            if [[ "$page" == /marketing/ ]]; then
                node "$work/widget-main-thread.mjs" "$lh_dir/node_modules/lighthouse" "$base" "$preset"
            fi
        done
    done
done
