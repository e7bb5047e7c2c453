# Shared settings of the bench scripts (sourced, not run).
#
# Native builds for measurements go into their own target directory. The workspace's release
# profile is tuned for the size of the WebAssembly bundle (opt-level "z", LTO, panic = "abort"),
# which is not what a server binary wants: the server is built with the `server` profile.
# shellcheck shell=bash

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$BENCH_DIR/.." && pwd)"
export BENCH_DIR REPO_ROOT
: "${BENCH_TARGET_DIR:=/tmp/target-native}"
export BENCH_TARGET_DIR

# The order server as the benchmarks run it: the `server` profile of Cargo.toml (optimised for
# speed, panics unwind), built into $BENCH_TARGET_DIR; its path is $SERVER_BIN.
SERVER_BIN="$BENCH_TARGET_DIR/server/checkout-server"
export SERVER_BIN
build_server() {
    CARGO_TARGET_DIR="$BENCH_TARGET_DIR" cargo build --quiet --profile server -p checkout-server
}

# Prints the machine the figures come from.
machine() {
    printf 'date: %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    printf 'cpu: %s, %s logical cores\n' "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" "$(nproc)"
    printf 'memory: %s total\n' "$(free -h | awk '/^Mem:/ {print $2}')"
    printf 'load average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
    printf 'rustc: %s\n' "$(rustc --version)"
}
