#!/usr/bin/env bash
# One language-model transmission check at GPT-2-small's shape (12 layers, d = 768, vocabulary 50257,
# 16 sequences × 128 tokens, 32 trait prompts of 8 + 2 tokens), random weights: Java (LmCheckTiming:
# TransmissionCheck.run on the Transformer model) against the same computation in PyTorch autograd +
# functorch jvp (lm_check_torch.py), same thread count, alternating the two sides ROUNDS times.
#   PRECISION=32|64   the passes' arithmetic on both sides (default 32)
#   WIDTH=64|32|16    vector width of both sides (benchmarks/width.sh); default: the JVM's own
#   PyTorch loads the system's libblas.so.3: apt-get install libopenblas0-pthread makes that OpenBLAS
#   (the first lines printed name the BLAS library PyTorch loaded)
#   THREADS=2  ROUNDS=3  REPEATS=1 (checks per run)  PYTHON=/usr/bin/python3
#   HEAP=7g     the Java heap, sized to the check (docs/language-models.md, "Memory of the check"): at this
#               shape the check holds at most five θ-sized vectors of 8 bytes (θ0, Δ_T, Δ_S, Δ_S^c and one
#               buffer, 5.0 GB after a full collection) and the side arrays of one pass at a time. On
#               2026-12-04, 7g ran in 12 runs of 12 from 7902942 on (the previous order stopped in 2 of 2 with
#               OutOfMemoryError: G1 found no room for a 1 GB array, which it never moves), 6.5g in 2 of 2;
#               6g stopped. The RSS follows the cap, so a larger heap measures the collector's slack. The JVM runs with the options of jvm.sh, as
#               ./subliminal does (G1's regions and marking threshold, the JIT's trap limit, huge pages;
#               docs/language-models.md)
#   PRETOUCH=1  the JVM option -XX:+AlwaysPreTouch, as README.md advises for a run in a heap sized to it: G1's
#               workers touch the memory the heap grows into, where otherwise the thread that allocates an
#               array touches its pages (docs/language-models.md, "Touching new memory"); PRETOUCH=0 leaves it out
#   SHAPE="layers=... hidden=... heads=... sequences=... length=... pairs=..." to override the shape
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-3}
REPEATS=${REPEATS:-1}
PRECISION=${PRECISION:-32}
PYTHON=${PYTHON:-/usr/bin/python3}
HEAP=${HEAP:-7g}
PRETOUCH=${PRETOUCH:-1}
SHAPE=${SHAPE:-"layers=12 hidden=768 heads=12 vocab=50257 sequences=16 length=128 pairs=32 prompt=8 answer=2"}
source benchmarks/width.sh
source jvm.sh
pretouch_option "$PRETOUCH"
work=benchmarks/target/check
mkdir -p "$work"
JAR=${JAR:-benchmarks/target/benchmarks.jar}   # another path (a copy) keeps a run safe from a rebuild meanwhile
if [ ! -f "$JAR" ] || [ "${BUILD:-1}" = 1 ]; then
  mvn -q -B -o -pl benchmarks -am package -DskipTests >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; exit 1; }
fi
print_width "$JAR"
for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r java   (uptime: $(uptime | sed 's/.*load/load/'))"
  java "${JVM_WIDTH[@]}" --add-modules jdk.incubator.vector "${JVM_OPTIONS[@]}" "${PRETOUCH_OPTION[@]}" -Xmx"$HEAP" -cp "$JAR" \
    dev.subliminal.benchmarks.LmCheckTiming $SHAPE threads="$THREADS" repeats="$REPEATS" precision="$PRECISION" \
    2>"$work/java.err" || { grep -v incubator "$work/java.err" >&2; exit 1; }
  echo "== round $r pytorch (uptime: $(uptime | sed 's/.*load/load/'))"
  torch_env "$PYTHON" benchmarks/check/lm_check_torch.py $SHAPE threads="$THREADS" repeats="$REPEATS" \
    precision="$PRECISION"
done
echo "load after: $(uptime | sed 's/.*load/load/')"
