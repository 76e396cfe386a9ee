// One libFuzzer target per input kind: built four times by
// tests/fuzz/CMakeLists.txt with PGHA_FUZZ_INPUT set to "scenario",
// "suite", "topology" or "results". An input that breaks the contract of
// CheckInput (fuzz_inputs.h) aborts, which libFuzzer records as a finding.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "fuzz/fuzz_inputs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto kind = pgha::fuzz::InputKindNamed(PGHA_FUZZ_INPUT);
  if (!kind) abort();
  const std::string broken = pgha::fuzz::CheckInput(*kind, std::string_view(reinterpret_cast<const char*>(data), size));
  if (!broken.empty()) {
    fprintf(stderr, "pgha fuzz (%s): %s\n", PGHA_FUZZ_INPUT, broken.c_str());
    abort();
  }
  return 0;
}
