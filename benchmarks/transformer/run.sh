#!/usr/bin/env bash
# Forward+backward throughput of a GPT-2-layout transformer in float64: Java (TransformerThroughput)
# against the same model in plain PyTorch (transformer_torch.py), same shapes, same thread count.
#   SHAPE=small   4 layers, d = 128, 4 heads, context 64, vocab 50257, 8 rows
#   SHAPE=gpt2    GPT-2 small: 12 layers, d = 768, 12 heads, context 256, vocab 50257, 1 row
#   THREADS=2  REPEATS=5  PYTHON=/usr/bin/python3  HEAP=8g
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source jvm.sh
SHAPE=${SHAPE:-small}
THREADS=${THREADS:-2}
REPEATS=${REPEATS:-5}
PYTHON=${PYTHON:-/usr/bin/python3}
HEAP=${HEAP:-8g}
case "$SHAPE" in
  small) ARGS="layers=4 hidden=128 heads=4 context=64 vocab=50257 rows=8" ;;
  gpt2) ARGS="layers=12 hidden=768 heads=12 context=256 vocab=50257 rows=1" ;;
  *) echo "SHAPE must be small or gpt2, got '$SHAPE'" >&2; exit 2 ;;
esac
work=benchmarks/target/transformer
mkdir -p "$work"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
mvn -q -B -o -pl benchmarks -am package -DskipTests >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; exit 1; }
echo "== java"
java --add-modules jdk.incubator.vector "${JVM_OPTIONS[@]}" -Xmx"$HEAP" -cp benchmarks/target/benchmarks.jar \
  dev.subliminal.benchmarks.TransformerThroughput $ARGS threads="$THREADS" repeats="$REPEATS" 2>/dev/null
echo "== pytorch"
OMP_NUM_THREADS=$THREADS "$PYTHON" benchmarks/transformer/transformer_torch.py $ARGS threads="$THREADS" \
  repeats="$REPEATS"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
