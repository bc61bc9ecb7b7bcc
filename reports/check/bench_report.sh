#!/usr/bin/env bash
# Benchmark: report a sweep results file of N records (default 1,000,000) with a 512 MB heap,
# RUNS times (default 3), and print each wall time and the median. The target is < 30 s.
#   reports/check/bench_report.sh [N] [RUNS]
set -euo pipefail
n=${1:-1000000}
runs=${2:-3}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$root/target/bench-report
mkdir -p "$work"
file=$work/sweep-$n.jsonl
if [ ! -s "$file" ]; then
  echo "writing $file ..." >&2
  python3 - "$n" "$file" <<'PY'
import json, random, sys
n, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(1)
inits, eps, seeds = ["same", "perturbed", "independent"], [1e-4, 1e-3, 1e-2], -(-n // 9)
cells = [{"init": i, "epsilon": e} for i in inits for e in eps]
with open(path, "w") as f:
    f.write(json.dumps({"schema": "subliminal.sweep/1", "config": {"axes": {"init": inits, "epsilon": eps},
        "seeds": {"first": 1, "count": seeds}, "cells": cells}, "provenance": {"tool": "bench_report.sh"}}) + "\n")
    for k in range(n):
        c, s = k % 9, k // 9 + 1
        cos = rng.uniform(-1, 1)
        rel = cells[c]["epsilon"] * rng.uniform(0.1, 1)
        f.write(json.dumps({"key": f"{c}/{s}", "cell": c, "axes": cells[c], "seed": s, "dot": cos * 1e-3,
            "cosine": cos, "traitPart": 1e-3, "firstOrder": 1e-3 * (1 - rel), "absoluteError": 1e-3 * rel,
            "relativeError": rel, "traitLossBefore": 0.7, "traitLossStudent": 0.699, "traitLossControl": 0.7,
            "traitDropsBelowControl": rng.random() < 0.9, "epsilon": cells[c]["epsilon"], "alpha": 0.1},
            separators=(",", ":")) + "\n")
PY
fi
echo "$(wc -l <"$file") lines, $(du -h "$file" | cut -f1)" >&2
"$root/subliminal" --version >/dev/null   # build first, outside the timing
times=()
for r in $(seq "$runs"); do
  start=$(date +%s.%N)
  SUBLIMINAL_JAVA_OPTS=-Xmx512m "$root/subliminal" report "$file" --out "$work/report" >/dev/null
  end=$(date +%s.%N)
  t=$(echo "$end - $start" | bc -l)
  times+=("$t")
  printf 'run %d: %.2f s\n' "$r" "$t"
done
printf '%s\n' "${times[@]}" | sort -g | awk -v n="$runs" -v load="$(cut -d" " -f1-3 /proc/loadavg)" '{a[NR]=$1} END {printf "median of %d runs: %.2f s (target < 30 s, heap 512 MB); load average %s\n", n, a[int((n+1)/2)], load}'
