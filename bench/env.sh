# Shared settings of the bench scripts (sourced, not run).
#
# Native builds for measurements use the release profile with speed settings: the workspace's
# release profile is tuned for the size of the WebAssembly bundle (opt-level "z", LTO,
# panic = "abort"), which is not what a server binary wants. The overrides go through cargo's
# environment variables, so Cargo.toml stays as it is, and into their own target directory.
# shellcheck shell=bash

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$BENCH_DIR/.." && pwd)"
export BENCH_DIR REPO_ROOT
: "${BENCH_TARGET_DIR:=/tmp/target-native}"
export BENCH_TARGET_DIR

# Runs cargo with the speed-tuned release profile in $BENCH_TARGET_DIR.
perf_cargo() {
    CARGO_TARGET_DIR="$BENCH_TARGET_DIR" \
        CARGO_PROFILE_RELEASE_OPT_LEVEL=3 \
        CARGO_PROFILE_RELEASE_LTO=false \
        CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
        CARGO_PROFILE_RELEASE_PANIC=unwind \
        CARGO_PROFILE_RELEASE_STRIP=false \
        cargo "$@"
}

# Prints the machine the figures come from.
machine() {
    printf 'date: %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    printf 'cpu: %s, %s logical cores\n' "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" "$(nproc)"
    printf 'memory: %s total\n' "$(free -h | awk '/^Mem:/ {print $2}')"
    printf 'load average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
    printf 'rustc: %s\n' "$(rustc --version)"
}
