#!/usr/bin/env bash
# The MNIST auxiliary-logit experiment, Java (./subliminal mnist) against PyTorch (mnist_torch.py),
# same runs, seeds, thread count and bundled data, one after the other on this machine.
#   benchmarks/mnist/run.sh [RUNS [REPEATS [THREADS]]]      defaults: 2 runs, 1 repeat, all cores
#   WIDTH=64|32|16   vector width of both sides (benchmarks/width.sh); default: the JVM's own
# Prints each repeat's pair (Java, then PyTorch) and its ratio, each tool's median wall time over the
# repeats, the median of the pair-by-pair ratios Java/PyTorch with a 95% interval of that median
# (benchmarks/median_interval.py), the GFLOP/s both achieve on the
# experiment's matrix products, their peak resident memory, the sgemm peak of each on the largest
# product, the vector widths, and the machine load before and after.
set -euo pipefail
RUNS=${1:-2}
REPEATS=${2:-1}
THREADS=${3:-$(nproc)}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PY=${PYTHON:-/usr/bin/python3}
source "$HERE/../width.sh"
source "$ROOT/jvm.sh"
JAR=$ROOT/experiments/target/subliminal.jar
"$ROOT/subliminal" --version >/dev/null            # builds the jar on first use
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

wall() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$1"; }
rss() { awk -F': ' '/Maximum resident set size/ { printf "%.0f\n", $2 / 1024 }' "$1"; }
median() { sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m }'; }

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); $RUNS runs, $REPEATS repeats, $THREADS threads, $(nproc) cores"
print_width "$JAR"
BLAS=$(readlink -f /etc/alternatives/libblas.so.3-x86_64-linux-gnu 2>/dev/null || echo unknown)
case $BLAS in
  */blas/*) echo "  (Debian's reference libblas3, unoptimized: apt-get install libopenblas0-pthread for a fair baseline)" ;;
esac
for r in $(seq 1 "$REPEATS"); do
  /usr/bin/time -v java "${JVM_WIDTH[@]}" --add-modules jdk.incubator.vector "${JVM_OPTIONS[@]}" -jar "$JAR" mnist --runs "$RUNS" --threads "$THREADS" \
    --out "$TMP/java$r.jsonl" > "$TMP/java$r.out" 2> "$TMP/java$r.time"
  torch_env /usr/bin/time -v "$PY" "$HERE/mnist_torch.py" --runs "$RUNS" --threads "$THREADS" \
    > "$TMP/torch$r.out" 2> "$TMP/torch$r.time"
  echo "repeat $r: java $(wall "$TMP/java$r.time") s, $(rss "$TMP/java$r.time") MB; pytorch $(wall "$TMP/torch$r.time") s, $(rss "$TMP/torch$r.time") MB; ratio $(awk -v j="$(wall "$TMP/java$r.time")" -v t="$(wall "$TMP/torch$r.time")" 'BEGIN { printf "%.3f", j / t }')"
done
JW=$(for r in $(seq 1 "$REPEATS"); do wall "$TMP/java$r.time"; done | median)
TW=$(for r in $(seq 1 "$REPEATS"); do wall "$TMP/torch$r.time"; done | median)
JM=$(for r in $(seq 1 "$REPEATS"); do rss "$TMP/java$r.time"; done | median)
TM=$(for r in $(seq 1 "$REPEATS"); do rss "$TMP/torch$r.time"; done | median)
RATIOS=$(for r in $(seq 1 "$REPEATS"); do awk -v j="$(wall "$TMP/java$r.time")" -v t="$(wall "$TMP/torch$r.time")" 'BEGIN { print j / t }'; done)
JPEAK=$(java "${JVM_WIDTH[@]}" --add-modules jdk.incubator.vector -cp "$JAR" "$HERE/SgemmPeak.java" "$THREADS" 2>/dev/null)
TPEAK=$(torch_env "$PY" -c "
import time, torch
torch.set_num_threads($THREADS)
a, b = torch.rand(1024, 784), torch.rand(256, 784)
best = 1e9
for i in range(60):
    t = time.perf_counter(); a @ b.T; d = time.perf_counter() - t
    if i >= 40: best = min(best, d)
print(f'{2 * 1024 * 784 * 256 / best / 1e9:.1f}')")
"$PY" - "$RUNS" "$JW" "$TW" "$JM" "$TM" "$JPEAK" "$TPEAK" "$HERE/.." "$RATIOS" <<'PY'
import statistics, sys
sys.path.insert(0, sys.argv[8])
from median_interval import describe
ratios = [float(x) for x in sys.argv[9].split()]
runs, jw, tw, jm, tm, jpeak, tpeak = int(sys.argv[1]), *map(float, sys.argv[2:8])
ratio, repeats = statistics.median(ratios), len(ratios)
w, n, d = 256, 13, 784
def step(rows):   # multiply-adds of one training step: forward, dW of every layer, dA of the hidden ones
    fwd = rows * (d * w + w * w + w * n)
    return 2 * (2 * fwd + rows * (w * w + w * n))
teacher = 36 * step(1024) * 7 + 36 * step(832) + 7 * step(1024)      # 295 steps cycling 8000 digits
student = 5 * (58 * step(1024) + step(608))                           # 295 steps over 60000 noise images
inference = 2 * (60000 + 6 * 2000) * (d * w + w * w + w * n)          # teacher logits, six test passes
flops = runs * (teacher + 4 * student + inference)
print(f"{runs} runs, {flops / 1e12:.2f} TFLOP of matrix products")
print(f"java     {jw:8.1f} s  {flops / jw / 1e9:6.1f} GFLOP/s  peak RSS {jm:6.0f} MB  sgemm peak {jpeak:6.1f} GFLOP/s")
print(f"pytorch  {tw:8.1f} s  {flops / tw / 1e9:6.1f} GFLOP/s  peak RSS {tm:6.0f} MB  sgemm peak {tpeak:6.1f} GFLOP/s")
print(f"ratio java/pytorch wall time, median of {repeats} pairs: {ratio:.3f} (goal ≤ 0.8); of the medians {jw / tw:.3f}; "
      f"{describe(ratios)}")
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "accuracies of the last repeat:"; tail -8 "$TMP/java$REPEATS.out"; tail -7 "$TMP/torch$REPEATS.out"
