#!/usr/bin/env bash
# One transmission check for an MLP 784-256-256-13 (tanh) with 1,024 student inputs, float64:
# the Java check (JMH, benchmarks/.../CheckBenchmark) against the same check in PyTorch
# (check_torch.py) on the same data, with the same thread count. Prints the medians, the ratio
# Java/PyTorch (goal ≤ 1.0) and the GFLOP/s of each side.
#   THREADS=2        threads for both sides (Gemm.threads, torch.set_num_threads)
#   REPEATS=10       measured runs per side (JMH iterations of 2 s; PyTorch runs)
#   PYTHON=/usr/bin/python3   an interpreter with PyTorch ≥ 1.13
#   TORCH_BLAS_DIR=  a directory holding another libblas.so.3 (e.g. OpenBLAS) for PyTorch to load
#                    instead of the system's; empty = PyTorch as installed
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
THREADS=${THREADS:-2}
REPEATS=${REPEATS:-10}
PYTHON=${PYTHON:-/usr/bin/python3}
work=benchmarks/target/check
mkdir -p "$work"

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
mvn -q -B -DskipTests install >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; exit 1; }

# The data: the record of `./subliminal check` with the benchmark's configuration (seed 1).
record=$work/record.json
if [ ! -f "$record" ]; then
  ./subliminal check --model mlp --widths 784,256,256,13 --activation tanh --samples 1024 --seed 1 \
    --json "$record" >/dev/null
fi

java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar CheckBenchmark \
  -p threads="$THREADS" -p seed=1 -p activation=tanh -i "$REPEATS" -rf json -rff "$work/jmh.json" \
  >"$work/jmh.log" 2>&1 || { tail -n 40 "$work/jmh.log"; exit 1; }

LD_LIBRARY_PATH=${TORCH_BLAS_DIR:-${LD_LIBRARY_PATH:-}} OMP_NUM_THREADS=$THREADS \
  "$PYTHON" benchmarks/check/check_torch.py "$record" --threads "$THREADS" --repeats "$REPEATS" \
  | tee "$work/torch.log"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

"$PYTHON" - "$work/jmh.json" "$work/torch.log" <<'PY'
import json, sys
jmh = json.load(open(sys.argv[1]))[0]["primaryMetric"]
java = jmh["scorePercentiles"]["50.0"] / 1000  # ms/op → s
torch_log = dict(line.split(" ", 1) for line in open(sys.argv[2]) if line.startswith(("median", "flops")))
torch = float(torch_log["median_seconds"])
flops = float(torch_log["flops"])
print(f"java     median {java * 1000:10.1f} ms   {flops / java / 1e9:6.1f} GFLOP/s")
print(f"pytorch  median {torch * 1000:10.1f} ms   {flops / torch / 1e9:6.1f} GFLOP/s")
print(f"ratio java/pytorch {java / torch:.3f}  (goal ≤ 1.0)")
PY
