#!/usr/bin/env bash
# A short sweep command as a user runs it, through the launcher: OLD (a built checkout of an earlier
# commit, e.g. the one benchmarks/refactor/run.sh builds) against this checkout, with and without the
# launcher's class-data sharing archive (SUBLIMINAL_CDS=0), alternating, ROUNDS rounds; prints each
# run's process CPU (user + sys) and wall seconds, then the medians and the paired CPU ratios.
# Usage: benchmarks/refactor/launcher.sh OLD_CHECKOUT [ROUNDS=10] [GRID=sweeps/epsilon.yaml]
set -euo pipefail
old=$(cd "$1" && pwd); rounds=${2:-10}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
grid=$(readlink -f "${3:-$repo/sweeps/epsilon.yaml}")
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$old/subliminal" --version >/dev/null; "$repo/subliminal" --version >/dev/null   # build and archive first
for r in $(seq "$rounds"); do
  for v in old new new-nocds; do
    launcher=$repo/subliminal; cds=1
    [ $v = old ] && launcher=$old/subliminal
    [ $v = new-nocds ] && cds=0
    SUBLIMINAL_CDS=$cds /usr/bin/time -f "%U %S %e" -o "$work/t" "$launcher" sweep "$grid" --threads 1 \
      --out "$work/$v-$r.jsonl" >/dev/null 2>&1
    echo "round $r $v $(awk '{printf "cpu_s %.2f wall_s %s", $1 + $2, $3}' "$work/t") load $(cut -d' ' -f1 /proc/loadavg)"
  done
done | tee "$work/runs.txt"
median() { sort -g | awk '{ x[NR] = $1 } END { print NR % 2 ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2 }'; }
for v in old new new-nocds; do
  echo "median $v cpu_s $(awk -v v=$v '$3 == v { print $5 }' "$work/runs.txt" | median)" \
    "wall_s $(awk -v v=$v '$3 == v { print $7 }' "$work/runs.txt" | median)"
done
for v in new new-nocds; do
  echo "paired cpu $v/old: $(awk -v v=$v '$3 == "old" { o[$2] = $5 } $3 == v { printf "%.2f ", $5 / o[$2] }' "$work/runs.txt")"
done
