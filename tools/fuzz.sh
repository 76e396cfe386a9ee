#!/usr/bin/env bash
# Fuzzes every input a user can hand pgha-chaos with libFuzzer (clang, ASan,
# UBSan): scenario, suite and topology files; any file as `validate` judges
# it (overlays, inventories, templates: told by structure); a cluster config
# as `lint` reads it; the results folder that `report` reads; and a
# list-append history as `check-history` reads it.
# Usage: tools/fuzz.sh [SECONDS]  (default 600, split evenly between the seven
# targets; the test suite runs 180: 25 s each).
#
# The targets are built by the AddressSanitizer build (tools/sanitize.sh
# address --build-only: the same folder, nothing compiled twice). Each
# starts from its seeds in tests/fuzz/corpus/<target>/ (the shipped files
# of its kind), the regression inputs of tests/fuzz/regressions/<target>/
# (shipped files with one defect) and what earlier runs found, with the
# target's dictionary (tests/fuzz/dict/<target>.dict: keys, units, fault
# kinds, target forms) and mutations that know the lines of YAML and config
# files (tests/fuzz/line_mutator.h). A finding: a crash, a sanitizer report,
# an input that takes over 10 s or over 256 MB, or a refusal that names no
# file; its bytes are printed and kept under <build>/fuzz-findings/. 10 s
# here is the 1 s a released pgha-chaos may take: this build (ASan, UBSan,
# coverage, -O0) is about 25 times slower (the slowest shipped input,
# scenarios/suites/seed-matrix.yaml: 1.3 s here, 0.05 s with `validate`),
# and the fuzzers run at low priority beside the integration tests.
# Prints executions, coverage and findings per target; exits 1 on any
# finding. Copy a finding to tests/fuzz/regressions/<target>/ and the unit
# tests replay it from then on (tests/unit/fuzz_corpus_test.cc).
set -euo pipefail
cd "$(dirname "$0")/.."

total=${1:-600}
targets=(scenario suite topology results validate lint history)
if ! [[ "$total" =~ ^[0-9]+$ ]] || [ "$total" -lt "${#targets[@]}" ]; then
  echo "usage: tools/fuzz.sh [SECONDS]   (at least ${#targets[@]}; default 600)" >&2
  exit 2
fi
for tool in clang++ llvm-symbolizer-14; do
  command -v "$tool" >/dev/null || {
    echo "tools/fuzz.sh: $tool is missing; install it: tools/setup.sh --tests (packages clang, llvm-14, libclang-rt-14-dev)" >&2
    exit 2
  }
done
per=$((total / ${#targets[@]}))
build=build-asan
[ -n "${PGHA_SANITIZE_BUILD_ROOT:-}" ] && build="$PGHA_SANITIZE_BUILD_ROOT/build-asan"
bash tools/sanitize.sh address --build-only

# A small quarantine: ASan's default (256 MB) alone would pass the memory limit.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:quarantine_size_mb=16
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_SYMBOLIZER_PATH=$(command -v llvm-symbolizer-14)
findings_total=0
summary=()
for t in "${targets[@]}"; do
  work=$build/fuzz-corpus/$t
  findings=$build/fuzz-findings/$t
  rm -rf "$findings" # this run's findings only (an earlier run printed its own)
  mkdir -p "$work" "$findings"
  seeds=("tests/fuzz/corpus/$t")
  [ -d "tests/fuzz/regressions/$t" ] && seeds+=("tests/fuzz/regressions/$t")
  echo "== fuzz_$t: $per s from $(find "${seeds[@]}" -type f -o -type l | wc -l) seeds and $(ls "$work" | wc -l) inputs found before"
  log=$build/fuzz_$t.log
  status=0
  nice -n 19 "$build/tests/fuzz/fuzz_$t" -max_total_time="$per" -timeout=10 -rss_limit_mb=256 -malloc_limit_mb=256 \
    -max_len=16384 -dict="tests/fuzz/dict/$t.dict" -print_final_stats=1 -artifact_prefix="$findings/" \
    "$work" "${seeds[@]}" >"$log" 2>&1 || status=$?
  execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1 || echo 0)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 || true)
  found=$(find "$findings" -type f | wc -l)
  findings_total=$((findings_total + found))
  line=$(printf '%-9s %9s executions  %-22s corpus %5s  findings %s' "$t" "$execs" "${cov:-cov: ?}" \
    "$(ls "$work" | wc -l)" "$found")
  summary+=("$line")
  echo "$line"
  if [ "$status" != 0 ]; then
    grep -E 'pgha fuzz|ERROR: |SUMMARY: |runtime error|Test unit written|Dictionary' "$log" | head -10 || true
    for f in "$findings"/*; do
      [ -f "$f" ] || continue
      echo "-- $f (first 2000 bytes, as text):"
      head -c 2000 "$f" | cat -v
      echo
    done
  fi
done

echo "== fuzzing summary ($total s in all)"
printf '%s\n' "${summary[@]}"
if [ "$findings_total" != 0 ]; then
  echo "$findings_total findings in $build/fuzz-findings/: copy each to tests/fuzz/regressions/<target>/ and fix it"
  exit 1
fi
echo "no findings"
