#!/usr/bin/env bash
# Time `certify` on an MLP with ~1,000 parameters (8-32-20-4 tanh, p = 1032) and 256 student
# inputs, pinned to one core, RUNS times (default 5); prints each time and the median. The time is
# the one `certify` prints (certification only, without JVM start-up). Target: < 10 s.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${1:-5}
"$ROOT/subliminal" --version >/dev/null   # build first if needed
times=()
for i in $(seq "$RUNS"); do
  t=$(taskset -c 0 "$ROOT/subliminal" certify --widths 8,32,20,4 --activation "${ACTIVATION:-tanh}" --samples 256 \
        --seed "$i" | awk '/^certified in/ { print $3 }')
  echo "run $i: $t s"
  times+=("$t")
done
printf '%s\n' "${times[@]}" | sort -g | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "median of %d runs: %.2f s (target < 10 s)\n", NR, m }'
