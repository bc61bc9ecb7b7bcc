#!/usr/bin/env bash
# Checks a report in headless Chromium: no console error, no failed request, every image loaded
# and inlined. Needs Debian's `chromium` (apt-get install chromium) and Node 20+.
#   reports/check/check_report.sh DIR          (DIR holds index.html)
set -euo pipefail
dir=${1:?usage: check_report.sh REPORT_DIR}
[ -f "$dir/index.html" ] || { echo "check_report: $dir/index.html not found" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
url="file://$(cd "$dir" && pwd)/index.html"
profile=$(mktemp -d)
chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$profile" \
  --remote-debugging-port=0 about:blank 2>"$profile/stderr.log" &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$profile"' EXIT
for _ in $(seq 100); do [ -s "$profile/DevToolsActivePort" ] && break; sleep 0.1; done
port=$(head -n1 "$profile/DevToolsActivePort")
node --no-warnings --experimental-websocket "$here/check_report.mjs" "$port" "$url"
