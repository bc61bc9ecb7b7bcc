#!/usr/bin/env bash
# Runs the commands whose record lines must not change when the code is reorganized (the demo,
# every ready-made sweep, a certify batch and two MNIST runs) into
# OUT_DIR, then prints one line per results file: its name, its record count and the SHA-256 of
# its record lines (every line but the header, whose provenance differs from run to run) after
# normalize.py. Usage: benchmarks/behaviour/run.sh OUT_DIR > digests.txt
set -euo pipefail
out=${1:?usage: run.sh OUT_DIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cli="$root/subliminal"
mkdir -p "$out"
cd "$out"
"$cli" demo --out demo --threads 2 > demo.txt
cp demo/battery.jsonl demo.jsonl
for grid in "$root"/sweeps/*.yaml; do
  name=$(basename "$grid" .yaml)
  "$cli" sweep "$grid" --out "sweep-$name.jsonl" --threads 2 > "sweep-$name.txt"
done
"$cli" certify --cases 50 --seed 1 --out certify50.jsonl > certify50.txt
"$cli" mnist --runs 2 --out mnist2.jsonl --threads 2 > mnist2.txt
for f in *.jsonl; do
  printf '%s %s %s\n' "$f" "$(($(wc -l < "$f") - 1))" "$(tail -n +2 "$f" | python3 "$here/normalize.py" | sha256sum | cut -d' ' -f1)"
done
