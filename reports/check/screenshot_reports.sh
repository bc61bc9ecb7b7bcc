#!/usr/bin/env bash
# The screenshot test of the reports: runs the demo and every ready-made sweep in sweeps/, writes a
# report of each, opens each report in headless Chromium at 1,400 × 900 and fails unless every table
# fits without a horizontal scroll, the page does not scroll sideways, every image loads and every
# figure has a caption stating n. Saves a full-page screenshot of each report.
#   reports/check/screenshot_reports.sh [WORK_DIR]      (default: a new temporary folder)
#   SEEDS=60 reports/check/screenshot_reports.sh        (fewer seeds per cell: same figures, faster)
# Needs Debian's `chromium` (apt-get install chromium) and Node 20+; not part of `mvn verify`, since
# CI has no Chromium. About 3 minutes on 2 cores with the grids' own 500 seeds.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here=$root/reports/check
work=${1:-$(mktemp -d)}
mkdir -p "$work/shots"
work=$(cd "$work" && pwd)
threads=${THREADS:-$(nproc 2>/dev/null || echo 2)}
command -v chromium >/dev/null || { echo "screenshot_reports: chromium not found (apt-get install chromium)" >&2; exit 2; }
command -v node >/dev/null || { echo "screenshot_reports: node not found (Node 20+)" >&2; exit 2; }

"$root/subliminal" --version >/dev/null   # build once, before the runs
reports=()
rm -rf "$work/demo"
"$root/subliminal" demo --out "$work/demo" --threads "$threads" >"$work/demo.txt"
reports+=("$work/demo/report")
for grid in "$root"/sweeps/*.yaml; do
  name=$(basename "$grid" .yaml)
  copy=$work/$name.yaml
  if [ -n "${SEEDS:-}" ]; then
    sed -E "s/^seeds: [0-9]+/seeds: $SEEDS/" "$grid" >"$copy"
  else
    cp "$grid" "$copy"
  fi
  rm -f "$work/$name.jsonl"
  "$root/subliminal" sweep "$copy" --threads "$threads" --out "$work/$name.jsonl" >"$work/$name.txt"
  rm -rf "$work/report-$name"
  "$root/subliminal" report "$work/$name.jsonl" --out "$work/report-$name" >/dev/null
  reports+=("$work/report-$name")
done

profile=$(mktemp -d)
chromium --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars --user-data-dir="$profile" \
  --remote-debugging-port=0 about:blank 2>"$profile/stderr.log" &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$profile"' EXIT
for _ in $(seq 100); do [ -s "$profile/DevToolsActivePort" ] && break; sleep 0.1; done
port=$(head -n1 "$profile/DevToolsActivePort")
node --no-warnings --experimental-websocket "$here/screenshot_reports.mjs" "$port" "$work/shots" "${reports[@]}"
