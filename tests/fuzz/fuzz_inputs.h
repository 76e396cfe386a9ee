// The files a user can hand pgha-chaos, each read the way the CLI reads it:
// scenario, suite and topology files as `validate` does, a results folder
// as `report` does (loaded, judged again, rendered to JUnit and HTML). The
// libFuzzer targets of tests/fuzz/ and the unit test that replays their
// corpus and every finding (tests/unit/fuzz_corpus_test.cc) share it.
// Two more kinds: any file through `validate`'s own judgement (told by its
// structure: an overlay, inventory or template as well; inventories'
// host names are never resolved), a cluster config through `lint`, and a
// list-append history through `check-history` (parsed, then checked).
//
// Contract of CheckInput: the bytes are written to a scratch folder (made
// once per process, removed at exit) and read; it returns "" when the input
// was handled as the CLI would (accepted: exit 0; or refused with a message
// naming the file it read: exit 2), otherwise what broke the contract.
// Crashes, sanitizer reports, uncaught exceptions and hangs are for the
// fuzzer or the test to catch. A results input is up to four files in one:
// result.json, history.jsonl, observer.jsonl and final_keys.txt, separated
// by NUL bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pgha::fuzz {

enum class InputKind { kScenario, kSuite, kTopology, kResults, kValidate, kLint, kHistory };

// "scenario", "suite", "topology", "results", "validate", "lint", "history"
std::optional<InputKind> InputKindNamed(const std::string& name);
std::string CheckInput(InputKind kind, std::string_view bytes);

}  // namespace pgha::fuzz
