#!/usr/bin/env bash
# Writes the seed inputs of the fuzz tests (docs/fuzzing.md) from files the toolkit itself writes:
# results, records and certificates from ./subliminal, IDX bytes from the bundled MNIST files,
# checkpoints and tokenizers from the committed fixtures. Needs python3 (and PyYAML, python3-yaml, for the JSON grids).
# The seeds are committed; mvn verify needs neither this script nor python3.
#   fuzz/src/test/seeds/make_seeds.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
S="$ROOT/subliminal"
IN="$ROOT/fuzz/src/test/resources/dev/subliminal/fuzz"
LM="$ROOT/language-models/src/test/resources/dev/subliminal/lm"
MNIST="$ROOT/experiments/src/main/resources/dev/subliminal/experiments/mnist"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
seed() { mkdir -p "$IN/$1"; cp "$2" "$IN/$1/seed-$(basename "$2")"; }

# Sweep grids: the shipped ones, and each as JSON
for g in "$ROOT"/sweeps/*.yaml; do
  seed GridFuzzTestInputs/read "$g"
  python3 -c 'import sys, json; print(json.dumps(__import__("yaml").safe_load(open(sys.argv[1]))))' "$g" \
    > "$(basename "$g" .yaml).json" 2>/dev/null && seed GridFuzzTestInputs/read "$(basename "$g" .yaml).json" || true
done

# Results: a small sweep (whole and sharded), an MNIST run, a certify batch; check records; certificates
cat > tiny.yaml <<'GRID'
seeds: {first: 1, count: 3}
axes:
  widths: "2,3,2"
  init: [same, independent]
  samples: 4
  traitSamples: 3
GRID
"$S" sweep tiny.yaml --threads 1 --out sweep.jsonl > /dev/null
"$S" sweep tiny.yaml --threads 1 --shard 1/2 --out sweep-shard-1-of-2.jsonl > /dev/null
head -c -40 sweep.jsonl > sweep-partial.jsonl
"$S" mnist --runs 1 --width 8 --epochs 1 --noise-images 256 --batch 256 --threads 1 --out mnist.jsonl > /dev/null
"$S" certify --cases 3 --model mlp --widths 2,3,2 --samples 3 --trait-samples 3 --out certify.jsonl > /dev/null
"$S" check --widths 2,3,2 --samples 3 --trait-samples 3 --json check-tanh.json > /dev/null
"$S" check --model linear --widths 2,2 --loss mse --init independent --samples 3 --trait-samples 2 --seed 4 --json check-linear.json > /dev/null
"$S" check --widths 2,2,2,2 --activation relu --samples 3 --trait-samples 2 --seed 5 --json check-relu.json > /dev/null
"$S" check --widths 2,3,2 --student-widths 2,4,2 --init independent --samples 3 --trait-samples 2 --json check-cross.json > /dev/null
printf '# two inputs of two coordinates\n0.5, -1.25\n3e-2 4\n' > data.txt
"$S" check --widths 2,3,2 --data data.txt --trait-samples 2 --json check-data.json > /dev/null
"$S" certify --model linear --widths 2,2 --loss mse --exact --samples 3 --trait-samples 3 --seed 2 --out cert-exact.json > /dev/null
"$S" certify --model mlp --widths 2,3,2 --activation tanh --samples 3 --trait-samples 3 --seed 2 --out cert-tanh.json > /dev/null
"$S" certify --model mlp --widths 2,2,2 --activation relu --samples 3 --trait-samples 2 --init independent --seed 3 --out cert-relu-independent.json > /dev/null
"$S" certify --model mlp --widths 2,2,1 --samples 2 --trait-samples 2 --out cert-uncertified.json > /dev/null || true  # exits 1: nothing certified
for f in sweep.jsonl sweep-shard-1-of-2.jsonl sweep-partial.jsonl mnist.jsonl certify.jsonl check-tanh.json cert-tanh.json; do
  seed ResultsFuzzTestInputs/read "$f"
done
for f in check-*.json; do seed CheckRecordFuzzTestInputs/read "$f"; done
for f in cert-*.json; do seed CertificateFuzzTestInputs/verify "$f"; done
seed DataFileFuzzTestInputs/read data.txt
python3 - check-tanh.json > data-rows.txt <<'PY'
import json, sys
rec = json.load(open(sys.argv[1]))
def rows(node):
    # the student inputs as the record stores them: a tensor {shape, data} or a list of rows
    if isinstance(node, dict):
        for k in ("studentInputs", "inputs"):
            if k in node: return rows(node[k])
        if "data" in node and "shape" in node:
            n, d = node["shape"]; x = node["data"]; return [x[i*d:(i+1)*d] for i in range(n)]
    return node
r = rows(rec.get("data", rec))
for row in r: print(" ".join(repr(v) for v in row))
PY
[ -s data-rows.txt ] && seed DataFileFuzzTestInputs/read data-rows.txt

# IDX: the first images and labels of the bundled MNIST files (header count set to match), plain and gzip
python3 - "$MNIST" <<'PY'
import gzip, struct, sys
d = sys.argv[1]
img = gzip.open(d + "/t10k-images-idx3-ubyte.gz").read()
lab = gzip.open(d + "/t10k-labels-idx1-ubyte.gz").read()
images = img[:4] + struct.pack(">I", 2) + img[8:16] + img[16:16 + 2 * 784]
labels = lab[:4] + struct.pack(">I", 10) + lab[8:18]
for name, data in (("images2.idx", images), ("labels10.idx", labels)):
    open(name, "wb").write(data)
    open(name + ".gz", "wb").write(gzip.compress(data, mtime=0))
PY
for f in images2.idx images2.idx.gz labels10.idx labels10.idx.gz; do seed IdxFuzzTestInputs/read "$f"; done

# Checkpoints: the committed safetensors and config.json fixtures (written by PyTorch and by the toolkit)
for f in "$LM"/checkpoint/*/model.safetensors; do cp "$f" "$(basename "$(dirname "$f")").safetensors"; done
for f in "$LM"/checkpoint/*/config.json; do cp "$f" "$(basename "$(dirname "$f")").config.json"; done
for f in gpt2-tiny.safetensors llama-tiny.safetensors "$LM"/safetensors/torch_floats.safetensors \
    "$LM"/safetensors/torch_mixed.safetensors "$LM"/safetensors/sharded/*.safetensors; do
  seed CheckpointFuzzTestInputs/safetensors "$f"
done
for f in *.config.json; do seed CheckpointFuzzTestInputs/hfConfig "$f"; done

# Tokenizers: the committed GPT-2 fixtures cut to the 256 byte tokens and the first 64 merges (ids kept)
python3 - "$LM/tokenizer" <<'PY'
import base64, gzip, json, sys
d = sys.argv[1]
N = 64
tok = json.load(gzip.open(d + "/gpt2.tokenizer.json.gz"))
model = tok["model"]
keep = 256 + N
model["vocab"] = {t: i for t, i in model["vocab"].items() if i < keep}
model["merges"] = model["merges"][:N]
for a in tok.get("added_tokens", []):
    a["id"] = keep
model["vocab"].update({a["content"]: keep for a in tok.get("added_tokens", [])})
json.dump(tok, open("gpt2-small.tokenizer.json", "w"), ensure_ascii=False)
lines = gzip.open(d + "/gpt2.tiktoken.gz").read().decode().splitlines()
open("gpt2-small.tiktoken", "w").write("\n".join(lines[:keep]) + "\n")
PY
seed TokenizerFuzzTestInputs/tokenizerJson gpt2-small.tokenizer.json
seed TokenizerFuzzTestInputs/tiktoken gpt2-small.tiktoken
# The llm configurations the repository ships, and the number experiment's bundled settings files
for f in "$ROOT"/llm/*.yaml; do seed LlmConfigFuzzTestInputs/config "$f"; done
for f in "$ROOT"/experiments/src/main/resources/dev/subliminal/experiments/numbers/*.txt; do
  seed NumbersTextsFuzzTestInputs/settings "$f"
done

# Checkpoint folders, server request bodies and chat templates, written by the toolkit's own writers
# (WriterSeeds: Checkpoint.write, HttpBackend during LlmPipeline against OpenAiServer, the built-in templates)
(cd "$ROOT" && mvn -q -o -pl fuzz -am test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" \
    -Dmdep.includeScope=test)
java --add-modules jdk.incubator.vector -cp "$ROOT/fuzz/target/test-classes:$ROOT/fuzz/target/classes:$(cat "$WORK/cp.txt")" \
    dev.subliminal.fuzz.WriterSeeds "$IN"
echo "seeds written under $IN"
