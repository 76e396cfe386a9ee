#!/usr/bin/env bash
# Every C++ file of harness/ and tests/ against .clang-format (ctest runs it
# as unit.Format). To fix: clang-format -i FILE.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find harness tests -name '*.h' -o -name '*.cc' -o -name '*.cpp' | sort)
clang-format --dry-run --Werror "${files[@]}"
echo "format: ${#files[@]} files follow .clang-format"
