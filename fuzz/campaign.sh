#!/usr/bin/env bash
# campaign.sh [Class#method ...]: the fuzzing campaign of docs/fuzzing.md as one command. Builds the
# fuzz module and replays the saved corpus (the regression run of mvn verify), freezes a copy of the
# compiled classes (so that the sources may change while it runs), then fuzzes each target in turn,
# one at a time, for FUZZ_TIME seconds (default 600) under nice, with a 1 GiB heap and libFuzzer's
# 10 s per-input timeout, and keeps each target's minimized corpus (keep-corpus.sh) while the next
# one runs. Without arguments: every target of docs/fuzzing.md.
#
# Writes fuzz/target/campaign/<Class#method>/jazzer.log (Jazzer's output) and the summary
# fuzz/target/campaign/summary.tsv: target, seconds fuzzed (libFuzzer's count), executions, exec/s,
# corpus entries at the end (libFuzzer's corp:), findings; keep-corpus's report of each target is in
# keep.log beside the log. A finding (crash-*, timeout-*, oom-*) is copied into the target's saved
# corpus folder, where the next mvn verify fails on it until it is fixed (then rename it
# finding-<what>); its Java stack trace is in the log.
set -euo pipefail
FUZZ=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$FUZZ")
TIME=${FUZZ_TIME:-600}
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(CertificateFuzzTest#verify SettingsFuzzTest#settings
    TokenizerFuzzTest#tokenizerJson CheckpointFuzzTest#safetensors GridFuzzTest#read ResultsFuzzTest#read
    CheckRecordFuzzTest#read IdxFuzzTest#read DataFileFuzzTest#read CheckpointFuzzTest#hfConfig
    TokenizerFuzzTest#tiktoken OpenAiBodyFuzzTest#chatCompletions OpenAiBodyFuzzTest#files
    OpenAiBodyFuzzTest#fineTuningJobs ChatTemplateFuzzTest#template CheckpointFolderFuzzTest#folder
    LlmConfigFuzzTest#config NumbersTextsFuzzTest#settings)
out=$FUZZ/target/campaign
mkdir -p "$out"
summary=$out/summary.tsv
[ -f "$summary" ] || printf 'target\tseconds\texecutions\texec/s\tcorpus\tfindings\tstarted\n' > "$summary"

echo "$(date -u +%FT%TZ) building and replaying the saved corpus"
(cd "$ROOT" && nice -n 10 mvn -q -o -pl fuzz -am test -Dtest='*FuzzTest' -Dsurefire.failIfNoSpecifiedTests=false)
report=$FUZZ/target/surefire-reports/TEST-dev.subliminal.fuzz.GridFuzzTest.xml
cp=$(grep -o 'name="surefire.test.class.path" value="[^"]*"' "$report" | sed 's/.*value="//; s/"$//')
# Freeze the project's classes: a campaign fuzzes the code as it was when it started.
snapshot=$out/classes
rm -rf "$snapshot"
mkdir -p "$snapshot"
frozen=()
IFS=: read -ra entries <<< "$cp"
for e in "${entries[@]}"; do
  if [[ $e == "$ROOT"/* && -d $e ]]; then
    copy=$snapshot/$(echo "${e#"$ROOT"/}" | tr / _)
    cp -r "$e" "$copy"
    frozen+=("$copy")
  else
    frozen+=("$e")
  fi
done
export FUZZ_CP=$(IFS=:; echo "${frozen[*]}")
echo "$(date -u +%FT%TZ) classes frozen at commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- . ':!fuzz/src/test/resources' || echo ' (with uncommitted changes)')"

keeper=
for target in "${TARGETS[@]}"; do
  cls=${target%%#*} method=${target##*#}
  dir=$out/$target
  rm -rf "$dir"
  mkdir -p "$dir/artifacts" "$FUZZ/.cifuzz-corpus/dev.subliminal.fuzz.$cls/$method"
  saved=$FUZZ/src/test/resources/dev/subliminal/fuzz/${cls}Inputs/$method
  mkdir -p "$saved"
  started=$(date -u +%FT%TZ)
  echo "$started $target: fuzzing for ${TIME}s"
  t0=$(date +%s)
  # A finding is not a failure of this script: keep_going lets the campaign collect distinct ones.
  (cd "$dir" && nice -n 10 java --add-modules jdk.incubator.vector -Xshare:off -Xmx1g -XX:-OmitStackTraceInFastThrow \
      -XX:+UseParallelGC -cp "$FUZZ_CP" com.code_intelligence.jazzer.Jazzer \
      --target_class="dev.subliminal.fuzz.$cls" --target_method="$method" --hooks=true \
      --instrument='dev.subliminal.**' --keep_going=20 --reproducer_path="$dir/artifacts" \
      --disabled_hooks=com.code_intelligence.jazzer.sanitizers.RegexInjection:com.code_intelligence.jazzer.sanitizers.FilePathTraversal \
      -max_total_time="$TIME" -timeout=10 -print_final_stats=1 -artifact_prefix="$dir/artifacts/" \
      "$FUZZ/.cifuzz-corpus/dev.subliminal.fuzz.$cls/$method" "$saved" > jazzer.log 2>&1) || true
  wall=$(( $(date +%s) - t0 ))
  # libFuzzer's own count of the fuzzing time (the wall time adds the JVM's start and the corpus
  # load). The log holds the inputs' bytes (grep -a: read it as text).
  seconds=$(grep -ao '^Done [0-9]* runs in [0-9]* second' "$dir/jazzer.log" | tail -1 | awk '{ print $5 }' || true)
  [ -n "$seconds" ] || seconds=$wall
  execs=$(grep -ao 'stat::number_of_executed_units: [0-9]*' "$dir/jazzer.log" | tail -1 | grep -o '[0-9]*$' || true)
  [ -n "$execs" ] || execs=$(grep -ao '^#[0-9]*' "$dir/jazzer.log" | tail -1 | tr -d '#' || true)
  corpus=$(grep -ao 'corp: [0-9]*/[0-9A-Za-z]*' "$dir/jazzer.log" | tail -1 | cut -d' ' -f2 || true)
  findings=0
  for a in "$dir"/artifacts/crash-* "$dir"/artifacts/timeout-* "$dir"/artifacts/oom-*; do
    [ -f "$a" ] || continue
    findings=$((findings + 1))
    cp "$a" "$saved/$(basename "$a")"
  done
  # Findings Jazzer deduplicated but did not write (keep_going) still print their stack trace.
  traces=$(grep -ac '^== Java Exception\|^==[0-9]*== ERROR' "$dir/jazzer.log" || true)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$seconds" "${execs:-?}" \
      "$(( ${execs:-0} / (seconds > 0 ? seconds : 1) ))" "${corpus:-?}" \
      "$findings artifacts, $traces reports" "$started" >> "$summary"
  echo "$(date -u +%FT%TZ) $target: ${execs:-?} executions in ${seconds}s (${wall}s wall), corpus ${corpus:-?}, $findings artifacts, $traces reports"
  # Keep this target's corpus in the background while the next one runs (one merge at a time).
  [ -z "$keeper" ] || wait "$keeper" || true
  nice -n 19 "$FUZZ/keep-corpus.sh" "$target" > "$dir/keep.log" 2>&1 &
  keeper=$!
done
[ -z "$keeper" ] || wait "$keeper" || true
for target in "${TARGETS[@]}"; do cat "$out/$target/keep.log" 2>/dev/null || true; done
echo "$(date -u +%FT%TZ) done; $summary"
column -t -s $'\t' "$summary"
