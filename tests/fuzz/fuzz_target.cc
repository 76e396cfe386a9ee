// One libFuzzer target per input kind: built once per kind by
// tests/fuzz/CMakeLists.txt with PGHA_FUZZ_INPUT set to "scenario",
// "suite", "topology", "results", "validate" or "lint". An input that
// breaks the contract of CheckInput (fuzz_inputs.h) aborts, which libFuzzer
// records as a finding. Text inputs are mutated half the time by
// line_mutator.h with the words of tests/fuzz/dict/<kind>.dict (the
// grammar: keys, units, fault kinds, target forms), half by libFuzzer's own
// byte mutations; the results input (JSON in NUL-separated files) only by
// libFuzzer's.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>

#include "fuzz/fuzz_inputs.h"
#include "fuzz/line_mutator.h"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace {

const std::vector<std::string>& DictionaryWords() {
  static const std::vector<std::string> words = [] {
    std::ifstream in(PGHA_SOURCE_DIR "/tests/fuzz/dict/" PGHA_FUZZ_INPUT ".dict");
    std::stringstream text;
    text << in.rdbuf();
    return pgha::fuzz::ReadDictionary(text.str());
  }();
  return words;
}

}  // namespace

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

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned int seed) {
  if (std::strcmp(PGHA_FUZZ_INPUT, "results") == 0 || seed % 2 == 0) return LLVMFuzzerMutate(data, size, max_size);
  const std::string out = pgha::fuzz::MutateLines(std::string_view(reinterpret_cast<const char*>(data), size), seed / 2,
                                                  DictionaryWords(), max_size);
  std::memcpy(data, out.data(), out.size());
  return out.size();
}
