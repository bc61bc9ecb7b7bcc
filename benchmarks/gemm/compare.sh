#!/usr/bin/env bash
# Two builds of the kernels compared in separate JVMs, alternating A B, B A, A B, ... (docs/kernels.md,
# "Comparing two builds of a kernel"): each side is one JVM running GemmTiming (n³ products in a row,
# the median GFLOP/s after the warm-up) on that build's classes. Prints every pair, then the median of
# the pair ratios B/A with their quartiles and a 95% interval of the median (benchmarks/median_interval.py),
# and whether the two builds' products have the same bits.
# Writes no file but a temporary one, which it removes.
#   benchmarks/gemm/compare.sh A.jar B.jar
#     each a jar of one build's classes: its benchmarks.jar (mvn -q -B -DskipTests package -pl benchmarks
#     -am, then a copy of benchmarks/target/benchmarks.jar before the next build overwrites it) or its
#     theory jar; GemmTiming itself comes from the build's jar if it has one, else from this tree's
#     benchmarks/target/benchmarks.jar (built by the same mvn command)
#   PAIRS=8  N=2048  THREADS=1  PRECISION=s|d  PRODUCTS=12  WARMUP=3
#   WIDTH=64|32|16  the JVM's vector width (benchmarks/width.sh); default: the JVM's own
#   PYTHON=/usr/bin/python3  for the summary (no third-party module)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
timing="$here/../target/benchmarks.jar"
if [ $# -ne 2 ]; then
  echo "usage: benchmarks/gemm/compare.sh A.jar B.jar" >&2
  exit 2
fi
has() { [ -f "$1" ] && jar tf "$1" 2>/dev/null | grep -qxF "$2"; }
for jar in "$1" "$2"; do
  if ! has "$jar" dev/subliminal/theory/linalg/Gemm.class; then
    echo "not a jar of the kernels (no dev/subliminal/theory/linalg/Gemm.class): $jar" >&2
    exit 2
  fi
  if ! has "$jar" dev/subliminal/benchmarks/GemmTiming.class && ! has "$timing" dev/subliminal/benchmarks/GemmTiming.class; then
    echo "$jar has no GemmTiming and neither has $timing: build it (mvn -q -B -DskipTests package -pl benchmarks -am)" >&2
    exit 2
  fi
done
PAIRS=${PAIRS:-8}
case "${PRECISION:-s}" in s|d) ;; *) echo "PRECISION must be s or d, got '$PRECISION'" >&2; exit 2 ;; esac
case "$PAIRS" in ''|*[!0-9]*|0) echo "PAIRS must be a positive integer, got '$PAIRS'" >&2; exit 2 ;; esac
THREADS=${THREADS:-1}
source "$here/../width.sh"
source "$here/../../jvm.sh"
# one side: GemmTiming in a JVM of its own; its errors (bad N, THREADS, ...: exit 2) shown, the incubator notice not
side() {
  java "${JVM_WIDTH[@]}" --add-modules jdk.incubator.vector "${JVM_OPTIONS[@]}" -Xmx4g -cp "$1:$timing" \
    dev.subliminal.benchmarks.GemmTiming n="${N:-2048}" threads="$THREADS" bits="$([ "${PRECISION:-s}" = d ] && echo 64 || echo 32)" \
    products="${PRODUCTS:-12}" warmup="${WARMUP:-3}" 2> >(grep -v 'incubator' >&2)
}
echo "A $1"
echo "B $2"
echo "load $(cut -d' ' -f1-3 /proc/loadavg); ${N:-2048}³ ${PRECISION:-s}gemm on $THREADS threads, $PAIRS pairs ${WIDTH:+(WIDTH=$WIDTH)}"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for i in $(seq 1 "$PAIRS"); do
  if [ $((i % 2)) = 1 ]; then a=$(side "$1"); b=$(side "$2"); else b=$(side "$2"); a=$(side "$1"); fi
  echo "pair $i A $a B $b" | tee -a "$out"
done
"${PYTHON:-/usr/bin/python3}" - "$out" "$here/.." <<'PY'
import statistics, sys
sys.path.insert(0, sys.argv[2])
from median_interval import describe
pairs = [line.split() for line in open(sys.argv[1])]
ratios = sorted(float(w[6]) / float(w[3]) for w in pairs)
q = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else [ratios[0]] * 3
print(f"A median {statistics.median(float(w[3]) for w in pairs):.1f} GFLOP/s, B {statistics.median(float(w[6]) for w in pairs):.1f}; "
      f"ratio B/A median {statistics.median(ratios):.3f}, quartiles [{q[0]:.3f}, {q[2]:.3f}], {len(ratios)} pairs; "
      f"{describe(ratios)}")
hashes = {w[4] for w in pairs} | {w[7] for w in pairs}
print("same bits in every product of both builds" if len(hashes) == 1 else f"DIFFERENT BITS: {sorted(hashes)}")
PY
