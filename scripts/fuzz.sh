#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (clang, -DSMO_FUZZ=ON, ASan +
# UBSan, into build-fuzz/) and runs each for SMO_FUZZ_SECONDS (default 25),
# SMO_FUZZ_JOBS (default: the number of cores) side by side, from its committed
# seed corpus and the reproducers of past findings. New inputs go to
# build-fuzz/corpus/<name>, never into the repository. A crash, a sanitizer
# report, a leak, an input slower than 10 s (an endless loop) or a broken promise
# fails the run and leaves the reproducer in build-fuzz/artifacts/<name>/, its
# path printed. See docs/fuzzing.md.
#   scripts/fuzz.sh               every target
#   scripts/fuzz.sh csv health    only these
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${SMO_FUZZ_BUILD:-$root/build-fuzz}"
seconds="${SMO_FUZZ_SECONDS:-25}"
jobs="${SMO_FUZZ_JOBS:-$(nproc)}"
corpora="$root/tests/fuzz/corpus"
regressions="$root/tests/fuzz/regressions"

if [ $# -gt 0 ]; then
  names=("$@")
else
  mapfile -t names < <(ls "$corpora")
fi

cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER="${SMO_FUZZ_CXX:-clang++}" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSMO_FUZZ=ON -DSMO_WERROR=ON >/dev/null
targets=()
for name in "${names[@]}"; do targets+=(--target "fuzz_$name"); done
cmake --build "$build" -j"$(nproc)" "${targets[@]}"

# One target: its log and exit status go to build-fuzz/logs/<name>.{log,rc}.
run_one() {
  local name=$1
  local dirs=("$build/corpus/$name" "$corpora/$name")
  if [ -d "$regressions/$name" ]; then dirs+=("$regressions/$name"); fi
  mkdir -p "$build/corpus/$name" "$build/artifacts/$name"
  local rc=0
  "$build/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=8192 -print_final_stats=1 -artifact_prefix="$build/artifacts/$name/" \
    "${dirs[@]}" >"$build/logs/$name.log" 2>&1 || rc=$?
  echo "$rc" >"$build/logs/$name.rc"
}

rm -rf "$build/logs"
mkdir -p "$build/logs"
running=0
for name in "${names[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  run_one "$name" &
  running=$((running + 1))
done
wait

failed=0
for name in "${names[@]}"; do
  log="$build/logs/$name.log"
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  coverage=$(grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*' "$log" | tail -1) || true
  if [ "$(cat "$build/logs/$name.rc")" = 0 ]; then
    echo "fuzz $name: ${runs:-?} executions in ${seconds}s (${coverage:-no stats}), ok"
  else
    failed=1
    echo "fuzz $name: FAILED after ${runs:-?} executions (log: $log)"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz: broken promise|.*runtime error:|ALARM)' "$log" | head -5 || true
    sed -n 's/.*Test unit written to \(.*\)$/  reproducer: \1/p' "$log"
  fi
done
if [ "$failed" -ne 0 ]; then
  echo "fuzz: a target failed; replay a reproducer with build-fuzz/tests/fuzz/fuzz_<name> FILE," \
    "fix the parser, then keep the file in tests/fuzz/regressions/<name>/"
fi
exit "$failed"
