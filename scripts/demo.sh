#!/usr/bin/env bash
# THE run command: sets up the tools, builds the web app in release mode and serves it on
# 127.0.0.1, rebuilding when a source file changes. Stop it with Ctrl-C.
#
#   scripts/demo.sh              # http://127.0.0.1:8080/
#   PORT=9000 scripts/demo.sh    # another port
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

ADDRESS=127.0.0.1
PORT="${PORT:-8080}"
URL="http://$ADDRESS:$PORT/"

"$REPO_ROOT/scripts/setup.sh"

cat <<MSG

==================================================================
  Centro fatturazione: building, then serving at

      $URL

  (the first release build takes a few minutes; Ctrl-C stops it)
==================================================================

MSG

exec trunk serve --release --address "$ADDRESS" --port "$PORT"
