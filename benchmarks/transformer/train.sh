#!/usr/bin/env bash
# Float32 training throughput of a GPT-2-layout transformer: Java (TransformerTraining: TransformerTrainer,
# AdamW, clipping) against the same training in plain PyTorch (train_torch.py), same shape, same thread
# count, alternating the two sides ROUNDS times so that both see the same load. Each run times REPEATS
# blocks of STEPS steps after one warm-up step; the table in docs/language-models.md takes the median
# over all rounds of each side's per-run median.
#   SHAPE=small   4 layers, d = 128, 4 heads, context 64, vocab 50257, 8 rows per step
#   SHAPE=gpt2    GPT-2 small: 12 layers, d = 768, 12 heads, context 256, vocab 50257, 1 row per step
#   WIDTH=64|32|16    vector width of both sides (benchmarks/width.sh); default: the JVM's own
#   THREADS=2  ROUNDS=3  STEPS=5 (gpt2: 1)  REPEATS=3 (gpt2: 1)  PYTHON=/usr/bin/python3
#   HEAP=640m (gpt2: 2600m)  the Java heap, sized to the model: 16 bytes per parameter (θ, its gradient and
#               AdamW's two buffers in float32) plus one step's activations and logits (docs/language-models.md);
#               a larger -Xmx only lets the collector postpone its work and raises the RSS
#   PRETOUCH=1  the JVM option -XX:+AlwaysPreTouch, as README.md advises for a run in a heap sized to it: G1's
#               workers touch the memory the heap grows into, where otherwise the thread that allocates an
#               array touches its pages (docs/language-models.md, "Touching new memory"); PRETOUCH=0 leaves it out
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source benchmarks/width.sh
source jvm.sh
SHAPE=${SHAPE:-small}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-3}
PYTHON=${PYTHON:-/usr/bin/python3}
PRETOUCH=${PRETOUCH:-1}
pretouch_option "$PRETOUCH"
case "$SHAPE" in
  small) ARGS="layers=4 hidden=128 heads=4 context=64 vocab=50257 rows=8"; STEPS=${STEPS:-5}; REPEATS=${REPEATS:-3}
    HEAP=${HEAP:-640m} ;;
  gpt2) ARGS="layers=12 hidden=768 heads=12 context=256 vocab=50257 rows=1"; STEPS=${STEPS:-1}; REPEATS=${REPEATS:-1}
    HEAP=${HEAP:-2600m} ;;
  *) echo "SHAPE must be small or gpt2, got '$SHAPE'" >&2; exit 2 ;;
esac
work=benchmarks/target/transformer
mkdir -p "$work"
JAR=${JAR:-benchmarks/target/benchmarks.jar}   # another path (a copy) keeps a run safe from a rebuild meanwhile
if [ ! -f "$JAR" ] || [ "${BUILD:-1}" = 1 ]; then
  mvn -q -B -o -pl benchmarks -am package -DskipTests >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; exit 1; }
fi
print_width "$JAR"
for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r java   (uptime: $(uptime | sed 's/.*load/load/'))"
  java "${JVM_WIDTH[@]}" --add-modules jdk.incubator.vector "${JVM_OPTIONS[@]}" "${PRETOUCH_OPTION[@]}" -Xmx"$HEAP" -cp "$JAR" \
    dev.subliminal.benchmarks.TransformerTraining $ARGS threads="$THREADS" steps="$STEPS" repeats="$REPEATS" 2>/dev/null
  echo "== round $r pytorch (uptime: $(uptime | sed 's/.*load/load/'))"
  torch_env "$PYTHON" benchmarks/transformer/train_torch.py $ARGS threads="$THREADS" steps="$STEPS" \
    repeats="$REPEATS"
done
echo "load after: $(uptime | sed 's/.*load/load/')"
