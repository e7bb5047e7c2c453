# shellcheck shell=bash
# Environment shared by the project scripts. Source it, do not run it:
#
#     source scripts/env.sh
#
# It sets REPO_ROOT and puts cargo's bin folder and the project-local tools (installed by
# scripts/setup.sh into .tools/) first on PATH. Safe to source more than once and under `set -u`.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

# Versions of the tools that are not pinned by Cargo.lock. Trunk.toml must name the same ones.
export TRUNK_VERSION_REQ="~0.21"      # cargo's requirement syntax
export TRUNK_VERSION_PREFIX="0.21."   # what `trunk --version` must start with (after "trunk ")
export BINARYEN_VERSION="132"         # npm package binaryen@<this>.0.0, wasm-opt "version_<this>"

export TOOLS_DIR="$REPO_ROOT/.tools"
export BINARYEN_DIR="$TOOLS_DIR/binaryen"

_checkout_path_prepend() {
    case ":$PATH:" in
        *":$1:"*) ;;
        *) PATH="$1:$PATH" ;;
    esac
}
_checkout_path_prepend "${CARGO_HOME:-$HOME/.cargo}/bin"
_checkout_path_prepend "$BINARYEN_DIR/node_modules/.bin"
unset -f _checkout_path_prepend
export PATH
