// Mutations that know the shape of pgha-chaos's inputs, for libFuzzer's
// custom mutator (tests/fuzz/fuzz_target.cc): the inputs are lines of
// `key: value` (YAML) or `keyword value` (haproxy.cfg, keepalived.conf),
// so a mutation replaces a value with a word of the target's dictionary or
// a boundary value (huge, negative, empty, an alias bomb, a path that
// climbs out), renames a key, duplicates, drops or re-indents a line, or
// inserts a dictionary line. Byte-level mutations alone almost never make
// such inputs; these reach the loaders' semantic checks.
//
// Pure and deterministic: the same input, seed and dictionary give the
// same output, never longer than max_size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pgha::fuzz {

// The words of a libFuzzer dictionary file: one `"word"` or `name="word"`
// per line, `#` comments, escapes \\ \" and \xNN. Malformed lines are skipped.
std::vector<std::string> ReadDictionary(std::string_view text);

// Values that break loaders more often than random bytes do.
const std::vector<std::string>& BoundaryValues();

std::string MutateLines(std::string_view input, uint32_t seed, const std::vector<std::string>& words, size_t max_size);

}  // namespace pgha::fuzz
