#!/usr/bin/env bash
# Throughput of the number experiment's workloads (training in float32, sampling in float64 with a
# key/value cache) at its default shape: Java (NumbersThroughput) against the same model in PyTorch
# (numbers_torch.py), same shapes, same thread count.   THREADS=2 STEPS=10 SOFT=0 PYTHON=/usr/bin/python3
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source jvm.sh
THREADS=${THREADS:-2}
STEPS=${STEPS:-10}
SOFT=${SOFT:-0}
PYTHON=${PYTHON:-/usr/bin/python3}
work=benchmarks/target/numbers
mkdir -p "$work"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
mvn -q -B -o -pl benchmarks -am package -DskipTests >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; exit 1; }
java --add-modules jdk.incubator.vector "${JVM_OPTIONS[@]}" -cp benchmarks/target/benchmarks.jar \
  dev.subliminal.benchmarks.NumbersThroughput threads="$THREADS" steps="$STEPS" soft="$SOFT" 2>/dev/null
OMP_NUM_THREADS=$THREADS "$PYTHON" benchmarks/numbers/numbers_torch.py threads="$THREADS" steps="$STEPS" soft="$SOFT"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
