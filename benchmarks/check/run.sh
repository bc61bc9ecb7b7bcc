#!/usr/bin/env bash
# One transmission check for an MLP 784-256-256-13 (tanh) with 1,024 student inputs, float64:
# the Java check (JMH, benchmarks/.../CheckBenchmark) against the same check in PyTorch
# (check_torch.py) on the same data, with the same thread count, at one vector width, alternating
# the two sides ROUNDS times. Prints each pair's medians and ratio Java/PyTorch, then the medians of
# the times and of the pair-by-pair ratios (goal ≤ 0.8) with a 95% interval of that median
# (benchmarks/median_interval.py), the GFLOP/s, the vector widths and the load.
#   THREADS=2        threads for both sides (Gemm.threads, torch.set_num_threads, OpenBLAS)
#   ROUNDS=3         alternations; REPEATS=10 timed checks per side and round (JMH single shots after 5
#                    warm-up ones; PyTorch after 2), whose median is the round's time
#   WIDTH=64|32|16   vector width of both sides (benchmarks/width.sh); default: the JVM's own
#   PLAIN=1          also time the Java check on the plain-loop micro-kernels (Gemm.withPlainLoops)
#   PYTHON=/usr/bin/python3   an interpreter with PyTorch ≥ 1.13 (PyTorch loads the system's libblas.so.3:
#                    apt-get install libopenblas0-pthread makes that OpenBLAS)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-3}
REPEATS=${REPEATS:-10}
PYTHON=${PYTHON:-/usr/bin/python3}
source benchmarks/width.sh
source jvm.sh
work=benchmarks/target/check
mkdir -p "$work"

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; $THREADS threads, $ROUNDS rounds"
mvn -q -B -DskipTests package -pl benchmarks,experiments -am >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; exit 1; }
JAR=benchmarks/target/benchmarks.jar
print_width "$JAR"

# The data: the record of `./subliminal check` with the benchmark's configuration (seed 1).
record=$work/record.json
if [ ! -f "$record" ]; then
  ./subliminal check --model mlp --widths 784,256,256,13 --activation tanh --samples 1024 --seed 1 \
    --json "$record" >/dev/null
fi

: >"$work/pairs.txt"
for r in $(seq 1 "$ROUNDS"); do
  java "${JVM_WIDTH[@]}" --add-modules jdk.incubator.vector -jar "$JAR" CheckBenchmark \
    -p threads="$THREADS" -p seed=1 -p activation=tanh -p kernel=vector -bm ss -wi 5 -i "$REPEATS" -tu ms \
    -jvmArgsAppend "${JVM_WIDTH[*]:-} ${JVM_OPTIONS[*]} -Xmx2g" \
    -rf json -rff "$work/jmh$r.json" >"$work/jmh$r.log" 2>&1 || { tail -n 40 "$work/jmh$r.log"; exit 1; }
  torch_env "$PYTHON" benchmarks/check/check_torch.py "$record" --threads "$THREADS" --repeats "$REPEATS" \
    >"$work/torch$r.log"
  "$PYTHON" - "$work/jmh$r.json" "$work/torch$r.log" "$r" <<'PY' | tee -a "$work/pairs.txt"
import json, sys
java = json.load(open(sys.argv[1]))[0]["primaryMetric"]["scorePercentiles"]["50.0"] / 1000  # ms/op → s
log = dict(line.split(" ", 1) for line in open(sys.argv[2]) if line.startswith(("median", "flops", "max_rel")))
torch, flops = float(log["median_seconds"]), float(log["flops"])
print(f"round {sys.argv[3]} java {java * 1000:.1f} ms torch {torch * 1000:.1f} ms ratio {java / torch:.3f} "
      f"flops {flops:.0f} maxdiff {log['max_relative_difference_vs_java'].strip()}")
PY
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${PLAIN:-0}" = 1 ]; then
  java "${JVM_WIDTH[@]}" --add-modules jdk.incubator.vector -jar "$JAR" CheckBenchmark -p threads="$THREADS" \
    -p seed=1 -p activation=tanh -p kernel=plain -bm ss -wi 2 -i 3 -tu ms -jvmArgsAppend "${JVM_WIDTH[*]:-} ${JVM_OPTIONS[*]} -Xmx2g" \
    -rf json -rff "$work/plain.json" >"$work/plain.log" 2>&1 || { tail -n 40 "$work/plain.log"; exit 1; }
  "$PYTHON" -c "import json, sys; print(f'java on plain-loop micro-kernels: median {json.load(open(sys.argv[1]))[0][\"primaryMetric\"][\"scorePercentiles\"][\"50.0\"]:.1f} ms')" "$work/plain.json"
fi
head -n 1 "$work/torch1.log"
"$PYTHON" - "$work/pairs.txt" <<'PY'
import statistics, sys
sys.path.insert(0, "benchmarks")
from median_interval import describe
rows = [line.split() for line in open(sys.argv[1])]
java = statistics.median(float(w[3]) for w in rows) / 1000
torch = statistics.median(float(w[6]) for w in rows) / 1000
ratio = statistics.median(float(w[9]) for w in rows)
flops = float(rows[0][11])
print(f"java     median {java * 1000:10.1f} ms   {flops / java / 1e9:6.1f} GFLOP/s")
print(f"pytorch  median {torch * 1000:10.1f} ms   {flops / torch / 1e9:6.1f} GFLOP/s")
print(f"ratio java/pytorch, median of {len(rows)} pairs: {ratio:.3f}  (goal ≤ 0.8); "
      f"{describe([float(w[9]) for w in rows])}")
PY
