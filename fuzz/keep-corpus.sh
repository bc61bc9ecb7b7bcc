#!/usr/bin/env bash
# keep-corpus.sh Class#method: after a campaign (docs/fuzzing.md), minimizes the corpus Jazzer
# generated in fuzz/.cifuzz-corpus and adds it to the saved corpus in
# fuzz/src/test/resources/.../<Class>Inputs/<method>/, which every mvn verify replays: libFuzzer's
# -merge=1, starting from the saved corpus (seeds, findings, earlier campaigns), keeps the generated
# inputs that add coverage to it, smallest first; the saved corpus is kept under KEEP_BYTES (default
# 262144) by adding the smallest of those first.
# Runs on the class path FUZZ_CP (campaign.sh sets it), or else on the test class path of the last
# run of the fuzz module (its surefire report holds it).
set -euo pipefail
[ $# -eq 1 ] && [[ $1 == *#* ]] || { echo "usage: $0 Class#method, e.g. GridFuzzTest#read" >&2; exit 2; }
cls=${1%%#*} method=${1##*#}
FUZZ=$(cd "$(dirname "$0")" && pwd)
report=$FUZZ/target/surefire-reports/TEST-dev.subliminal.fuzz.$cls.xml
generated=$FUZZ/.cifuzz-corpus/dev.subliminal.fuzz.$cls/$method
saved=$FUZZ/src/test/resources/dev/subliminal/fuzz/${cls}Inputs/$method
[ -d "$generated" ] || { echo "no generated corpus in $generated" >&2; exit 1; }
if [ -n "${FUZZ_CP:-}" ]; then
  cp=$FUZZ_CP
else
  [ -f "$report" ] || { echo "no $report: run the campaign (or mvn verify) first" >&2; exit 1; }
  cp=$(grep -o 'name="surefire.test.class.path" value="[^"]*"' "$report" | sed 's/.*value="//; s/"$//')
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/kept" "$saved"
find "$saved" -maxdepth 1 -type f ! -name "crash-*" ! -name "timeout-*" ! -name "oom-*" -exec cp {} "$work/kept/" \;
(cd "$work" && java --add-modules jdk.incubator.vector -Xshare:off -Xmx1g -cp "$cp" com.code_intelligence.jazzer.Jazzer \
    --target_class="dev.subliminal.fuzz.$cls" --target_method="$method" --hooks=true --instrument='dev.subliminal.**' \
    --disabled_hooks=com.code_intelligence.jazzer.sanitizers.RegexInjection:com.code_intelligence.jazzer.sanitizers.FilePathTraversal \
    -merge=1 kept "$generated" > merge.log 2>&1) || { tail -20 "$work/merge.log" >&2; exit 1; }
declare -A have
for f in "$saved"/*; do [ -f "$f" ] && have[$(sha1sum < "$f" | cut -c1-40)]=1; done
added=0
bytes() { find "$1" -maxdepth 1 -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }
budget=$(( ${KEEP_BYTES:-262144} - $(bytes "$saved") ))
while read -r size f; do
  h=$(sha1sum < "$f" | cut -c1-40)
  [ -n "${have[$h]:-}" ] && continue
  [ "$size" -gt "$budget" ] && break
  cp "$f" "$saved/$h"; added=$((added + 1)); budget=$((budget - size))
done < <(find "$work/kept" -type f -printf '%s %p\n' | sort -n)
echo "$1: $(grep -o '[0-9]* new files with [0-9]* new features' "$work/merge.log" | tail -1); $added added to $saved" \
  "($(find "$saved" -maxdepth 1 -type f | wc -l) files, $(bytes "$saved") bytes)"
