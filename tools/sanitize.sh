#!/usr/bin/env bash
# The unit tests under sanitizers: `tools/sanitize.sh address` builds and
# runs every unit test with AddressSanitizer + UndefinedBehaviorSanitizer
# in build-asan/; `tools/sanitize.sh thread` the ones that start the
# harness's threads (observer, leader watch, workload: the runner on fakes
# and the like; tests/CMakeLists.txt thread_tests) with ThreadSanitizer in
# build-tsan/. Any sanitizer report aborts the test binary: the script then
# exits non-zero. `--build-only` builds and stops (tools/fuzz.sh: the
# AddressSanitizer build holds the fuzz targets too).
#
# ctest runs both (label sanitize) beside the integration tests, so that
# they must not slow a cluster down: the compiler runs under SCHED_IDLE
# (it gets only CPU time nothing else wants) and, when
# PGHA_SANITIZE_BUILD_ROOT names a tmpfs (tools/test.sh: /dev/shm), writes
# nothing to disk, where it once delayed PostgreSQL's fsyncs. The unit tests
# themselves run at nice 19.
set -euo pipefail
cd "$(dirname "$0")/.."

kind=${1:-}
build_only=${2:-}
fuzz_targets=(fuzz_scenario fuzz_suite fuzz_topology fuzz_results fuzz_validate fuzz_lint)
case "$kind" in
  # clang: the same build gives the libFuzzer targets (tools/fuzz.sh runs
  # them); the unit tests and the six targets took 405 s of CPU (247 s
  # wall) where g++ took 703 s of CPU for the unit tests alone.
  address)
    flags=address,undefined; dir=build-asan; compiler=clang++; tests=unit_tests
    cflags="-O0 -g1 -pipe"; extra=(-DPGHA_FUZZ=ON); targets=(unit_tests "${fuzz_targets[@]}")
    ;;
  # Only the tests that start threads (tests/CMakeLists.txt: thread_tests).
  # clang: 58 s to build them where g++ took about 200 s, and no false
  # "atomic_thread_fence is not supported" from Boost.Asio as g++ gave.
  thread)
    flags=thread; dir=build-tsan; compiler=clang++; tests=thread_tests
    cflags="-O0 -g1 -pipe"; extra=(); targets=(thread_tests)
    ;;
  *)
    echo "usage: tools/sanitize.sh address|thread [--build-only]" >&2
    exit 2
    ;;
esac

if [ -n "${PGHA_SANITIZE_BUILD_ROOT:-}" ]; then
  dir="$PGHA_SANITIZE_BUILD_ROOT/$dir"
fi
echo "== $flags: building ${targets[*]} in $dir/ ($compiler)"
start=$(date +%s)
renice -n 19 $$ >/dev/null
# -O0: with g++ the AddressSanitizer build took 582 s of CPU instead of
# 938 s at -O1 (and its unit tests 8 s instead of 5 s); -g1: line tables
# for the reports' stack traces, no variables (about a quarter less
# compile time than -g). Warnings are the normal build's to judge. -pipe:
# no temporary files on disk either. A unity build of the harness's
# libraries (16 files a unit; the tests' files one by one): with g++,
# 11m43s of CPU for the AddressSanitizer build instead of 18m30s.
# Ninja for a new build folder (tools/setup.sh says why); a folder built
# by another compiler is made anew (the compiler is named only then).
built_by=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$dir/CMakeCache.txt" 2>/dev/null || true)
[ -n "$built_by" ] && [ "$(basename "$built_by")" != "$compiler" ] && rm -rf "$dir"
new_folder=()
[ -f "$dir/CMakeCache.txt" ] || new_folder=(-G Ninja -DCMAKE_CXX_COMPILER="$compiler")
cmake -S . -B "$dir" "${new_folder[@]}" -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_CXX_FLAGS="$cflags" "${extra[@]}" -DPGHA_WERROR=OFF -DPGHA_SANITIZE="$flags" \
  -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16 >/dev/null
chrt --idle 0 cmake --build "$dir" --target "${targets[@]}" -j"$(nproc)" 2>&1 |
  grep -Ev '^\[ *[0-9]+%\]|^\[[0-9]+/[0-9]+\] |^(Consolidate|Scanning|Built target|Checking)' || true
test -x "$dir/tests/$tests"
echo "== $flags: built in $(($(date +%s) - start)) s"
[ "$build_only" = --build-only ] && exit 0
echo "== $flags: running the unit tests"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
start=$(date +%s)
status=0
"$dir/tests/$tests" --gtest_brief=1 > "$dir/$tests.log" 2>&1 || status=$?
grep -E '^\[  (PASSED|FAILED)  \]|^(==[0-9]+==|WARNING: ThreadSanitizer|SUMMARY: )|runtime error' "$dir/$tests.log" || true
if [ "$status" != 0 ]; then
  echo "== $flags: FAILED (exit $status); the whole log: $dir/$tests.log"
  tail -60 "$dir/$tests.log"
  exit 1
fi
echo "== $flags: no sanitizer report; unit tests ran in $(($(date +%s) - start)) s"
