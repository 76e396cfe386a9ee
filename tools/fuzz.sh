#!/usr/bin/env bash
# Fuzzes every input a user can hand pgha-chaos with libFuzzer (clang, ASan,
# UBSan): scenario, suite and topology files, and the results folder that
# `report` reads. Usage: tools/fuzz.sh [SECONDS]  (default 600, split
# evenly between the four targets). Each target starts from its seeds in
# tests/fuzz/corpus/<target>/ (links to the shipped files of its kind, and
# results folders) and what earlier runs found (build-fuzz/corpus/);
# an input that crashes, trips a sanitizer, runs over 1 s or is refused
# without naming a file is a finding, saved under build-fuzz/findings/.
# Prints executions, coverage and findings per target; exits 1 on any
# finding. Copy a finding to tests/fuzz/regressions/<target>/ and the unit
# tests replay it from then on (tests/unit/fuzz_corpus_test.cc).
set -euo pipefail
cd "$(dirname "$0")/.."

total=${1:-600}
if ! [[ "$total" =~ ^[0-9]+$ ]] || [ "$total" -lt 4 ]; then
  echo "usage: tools/fuzz.sh [SECONDS]   (at least 4; default 600)" >&2
  exit 2
fi
for tool in clang++ llvm-symbolizer-14; do
  command -v "$tool" >/dev/null || {
    echo "tools/fuzz.sh: $tool is missing; install it: tools/setup.sh (packages clang, llvm-14, libclang-rt-14-dev)" >&2
    exit 2
  }
done
per=$((total / 4))
targets=(scenario suite topology results)

echo "== building the fuzz targets in build-fuzz/ (clang, libFuzzer, ASan, UBSan)"
CXX=clang++ cmake -S . -B build-fuzz -DPGHA_FUZZ=ON -DPGHA_WERROR=OFF -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_CXX_FLAGS="-O1 -g" >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]/#/fuzz_}" 2>&1 |
  grep -Ev '^\[ *[0-9]+%\]|^\[[0-9]+/[0-9]+\] |^(Consolidate|Scanning|Built target|Checking)' || true

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_SYMBOLIZER_PATH=$(command -v llvm-symbolizer-14)
findings_total=0
summary=()
for t in "${targets[@]}"; do
  work=build-fuzz/corpus/$t
  findings=build-fuzz/findings/$t
  mkdir -p "$work" "$findings"
  echo "== fuzz_$t: $per s from $(ls tests/fuzz/corpus/$t | wc -l) seeds and $(ls "$work" | wc -l) inputs found before"
  log=build-fuzz/fuzz_$t.log
  status=0
  build-fuzz/tests/fuzz/fuzz_"$t" -max_total_time="$per" -timeout=1 -rss_limit_mb=2048 -max_len=16384 \
    -print_final_stats=1 -artifact_prefix="$findings/" "$work" "tests/fuzz/corpus/$t" >"$log" 2>&1 || status=$?
  execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1 || echo 0)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 || true)
  found=$(find "$findings" -type f | wc -l)
  findings_total=$((findings_total + found))
  line=$(printf '%-9s %9s executions  %-22s corpus %5s  findings %s' "$t" "$execs" "${cov:-cov: ?}" \
    "$(ls "$work" | wc -l)" "$found")
  summary+=("$line")
  echo "$line"
  if [ "$status" != 0 ]; then
    grep -E 'pgha fuzz|ERROR: |SUMMARY: |runtime error|Test unit written' "$log" | head -10 || true
  fi
done

echo "== fuzzing summary ($total s in all)"
printf '%s\n' "${summary[@]}"
if [ "$findings_total" != 0 ]; then
  echo "$findings_total findings in build-fuzz/findings/: copy each to tests/fuzz/regressions/<target>/ and fix it"
  exit 1
fi
echo "no findings"
