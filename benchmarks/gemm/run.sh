#!/usr/bin/env bash
# sgemm and dgemm at n × n × n (default 2048³), 1 and 2 threads: the toolkit's Gemm (JMH,
# GemmBenchmark) against torch.matmul on OpenBLAS, at one vector width: for each product and thread
# count, one JMH run then one PyTorch run (a pair), ROUNDS times. Both sides time single products
# (JMH single-shot: 3 warm-up and 7 measured; PyTorch: 2 and 7) and take the median. Prints each pair's GFLOP/s and ratio Java/PyTorch, then the medians of the rates and
# of the pair-by-pair ratios (goal ≥ 0.9) with a 95% interval of that median (benchmarks/median_interval.py),
# the vector widths and the load.
#   WIDTH=64|32|16  vector width of both sides (benchmarks/width.sh); default: the JVM's own
#   ROUNDS=3  N=2048  THREAD_COUNTS="1 2"  PLAIN=1 adds the plain-loop fallback (Gemm.withPlainLoops)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROUNDS=${ROUNDS:-3}
N=${N:-2048}
THREAD_COUNTS=${THREAD_COUNTS:-"1 2"}
PYTHON=${PYTHON:-/usr/bin/python3}
THREADS=1
source benchmarks/width.sh
source jvm.sh
work=benchmarks/target/gemm-${WIDTH:-default}
mkdir -p "$work"
mvn -q -B -DskipTests package -pl benchmarks -am >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; exit 1; }
JAR=benchmarks/target/benchmarks.jar
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; ${N}³, $ROUNDS rounds, threads: $THREAD_COUNTS"
print_width "$JAR"
kernels=vector
[ "${PLAIN:-0}" = 1 ] && kernels=vector,plain
: >"$work/pairs.txt"
for r in $(seq 1 "$ROUNDS"); do
  for t in $THREAD_COUNTS; do
    for p in s d; do
      # one pair: JMH on this product, then PyTorch on the same product right after
      java "${JVM_WIDTH[@]}" --add-modules jdk.incubator.vector -jar "$JAR" GemmBenchmark \
        -p shape="${N}x${N}x${N}:NN" -p precision=$p -p threads="$t" -p kernel=$kernels \
        -jvmArgsAppend "${JVM_WIDTH[*]:-} ${JVM_OPTIONS[*]} -Xmx4g" -f 1 -bm ss -wi 3 -i 7 -rf json -rff "$work/jmh.json" \
        >"$work/jmh.log" 2>&1 || { tail -n 40 "$work/jmh.log"; exit 1; }
      THREADS=$t torch_env "$PYTHON" benchmarks/gemm/gemm_torch.py "$N" "$t" --precision "$p" >"$work/torch.txt"
      "$PYTHON" - "$N" "$work/jmh.json" "$work/torch.txt" "$r" <<'PY' | tee -a "$work/pairs.txt"
import json, sys
n, jmh, torch_file, r = int(sys.argv[1]), json.load(open(sys.argv[2])), sys.argv[3], sys.argv[4]
torch = {(p, int(t)): float(g) for _, p, t, g in (line.split() for line in open(torch_file))}
for b in jmh:
    p, t, kernel = b["params"]["precision"], int(b["params"]["threads"]), b["params"]["kernel"]
    java = 2 * n ** 3 / (b["primaryMetric"]["scorePercentiles"]["50.0"] * 1e-6) / 1e9   # median µs/op → GFLOP/s
    print(f"round {r} {p}gemm {t} {kernel} java {java:.1f} torch {torch[(p, t)]:.1f} ratio {java / torch[(p, t)]:.3f}"
          f" load {open('/proc/loadavg').read().split()[0]}")
PY
    done
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
"$PYTHON" - "$work/pairs.txt" <<'PY'
import statistics, sys
sys.path.insert(0, "benchmarks")
from median_interval import describe
rows = {}
for line in open(sys.argv[1]):
    w = line.split()
    rows.setdefault((w[2], int(w[3]), w[4]), []).append((float(w[6]), float(w[8]), float(w[10])))
print("medians:  product  threads kernel   java GFLOP/s  pytorch GFLOP/s  ratio java/pytorch (pair by pair)")
for (p, t, k), v in sorted(rows.items()):
    j, tt, q = (statistics.median(x) for x in zip(*v))
    print(f"          {p:6s}  {t:7d} {k:6s}  {j:14.1f}  {tt:15.1f}  {q:.3f} {describe([x[2] for x in v])}, {len(v)} pairs")
PY
