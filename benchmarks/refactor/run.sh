#!/usr/bin/env bash
# A/B of a code change on speed: builds OLD (a commit) and NEW (this checkout's HEAD) in clones under
# WORK, then alternates them ROUNDS times on process CPU time (user + sys, one thread, so the load of
# other processes on the machine disturbs it least): the check benchmark (JMH, fixed operation count),
# one MNIST run (whose record digest must agree), and the epsilon sweep as a command; then the epsilon
# sweep five times inside one JVM (SweepLoop.java), which separates start-up from steady state.
# Usage: benchmarks/refactor/run.sh OLD_COMMIT [WORK=/tmp/subliminal-ab] [ROUNDS=5]
set -euo pipefail
old=$1; work=${2:-/tmp/subliminal-ab}; rounds=${3:-5}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd); repo=$(cd "$here/../.." && pwd)
mkdir -p "$work"; cd "$work"
for v in old new; do rm -rf "$v"; git clone -q "$repo" "$v"; done
(cd old && git checkout -q "$old")
for v in old new; do (cd $v && mvn -q -B -DskipTests package -pl benchmarks,experiments -am > build.log 2>&1); done
javac -d . "$here/SweepLoop.java"
J=(java --add-modules jdk.incubator.vector)
cpu() { awk '{printf "cpu_s %.2f wall_s %s rss_kb %s", $1 + $2, $3, $4}' t.txt; }
: > results.txt
for r in $(seq "$rounds"); do
  for v in old new; do
    /usr/bin/time -f "%U %S %e %M" -o t.txt "${J[@]}" -jar $v/benchmarks/target/benchmarks.jar CheckBenchmark \
      -p threads=1 -p seed=1 -p activation=tanh -bm ss -f 1 -wi 10 -i 30 -tu ms -rf json -rff $v-check.json > $v-check.log 2>&1
    echo "round $r $v check $(cpu) load $(cut -d' ' -f1 /proc/loadavg)" >> results.txt
    rm -f $v-m.jsonl
    /usr/bin/time -f "%U %S %e %M" -o t.txt "${J[@]}" -jar $v/experiments/target/subliminal.jar mnist --runs 1 --threads 1 \
      --out $v-m.jsonl > $v-m.log 2>&1
    echo "round $r $v mnist $(cpu) load $(cut -d' ' -f1 /proc/loadavg) digest $(tail -n +2 $v-m.jsonl | sha256sum | cut -c1-12)" >> results.txt
    rm -f $v-s.jsonl
    /usr/bin/time -f "%U %S %e %M" -o t.txt "${J[@]}" -jar $v/experiments/target/subliminal.jar sweep "$repo/sweeps/epsilon.yaml" \
      --threads 1 --out $v-s.jsonl > $v-s.log 2>&1
    echo "round $r $v sweep-epsilon $(cpu) load $(cut -d' ' -f1 /proc/loadavg)" >> results.txt
  done
done
for v in old new old new; do
  "${J[@]}" -cp $v/experiments/target/subliminal.jar:. SweepLoop 5 $v "$repo/sweeps/epsilon.yaml" 2>/dev/null | sed 's/^/loop /' >> results.txt
done
cat results.txt
