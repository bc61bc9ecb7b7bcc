#!/usr/bin/env bash
# Runs the OpenAI client check (and, with --load, the 200-request load check) against a fresh
# `./subliminal serve --tiny tiny` on a free loopback port, then stops the server.
#   npm install --prefix /tmp/openai-check openai@7.60.0      # once, outside the repository
#   experiments/src/test/node/run_checks.sh [--load]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)
STATE=$(mktemp -d /tmp/serve-state.XXXXXX)
"$ROOT/subliminal" serve --tiny tiny --state "$STATE" --port 0 --port-file "$STATE/port" >"$STATE/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$STATE"' EXIT
for _ in $(seq 1 300); do [ -s "$STATE/port" ] && break; sleep 1; done
[ -s "$STATE/port" ] || { cat "$STATE/serve.log"; echo "serve did not start" >&2; exit 1; }
export SERVE_URL="http://127.0.0.1:$(cat "$STATE/port")/v1"
NODE_PATH=${NODE_PATH:-/tmp/openai-check/node_modules} node "$ROOT/experiments/src/test/node/openai_client_check.mjs"
if [ "${1:-}" = "--load" ]; then
  node "$ROOT/experiments/src/test/node/load_check.mjs" 200 16
fi
