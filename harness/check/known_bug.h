// Known bugs: a scenario that reproduces a bug of a given Patroni release
// carries the bug's identity and the versions it affects; its targets state
// the correct behaviour, so a missed target means "reproduced". The verdict
// reads against the Patroni version that ran:
//   reproduced on an affected version      "reproduced on 3.0.2 (affected; fixed in 3.1.0)"  as expected
//   not reproduced on a fixed version      "not reproduced on 4.0.1 (fixed in 3.1.0)"        as expected
//   reproduced on a fixed version          "... which should be fixed: report it"              unexpected
//   not reproduced on an affected version  "not reproduced in N runs ... (affected)"           unexpected
// An unexpected verdict makes the run exit 1, so neither a regression nor a
// scenario that failed to trigger its bug passes quietly. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "model/patroni_rules.h"

namespace pgha {

// One bound of `affects:` (">= 2.1.0", "< 3.1.0").
struct VersionBound {
  enum class Op { kLess, kLessEqual, kGreater, kGreaterEqual };
  Op op = Op::kLess;
  PatroniVersion version;
  bool Holds(const PatroniVersion& v) const;
};

struct KnownBug {
  std::string id;               // "patroni#2779"
  std::string title;            // one line
  std::string source;           // where it is told: an issue, a pull request, the release notes
  std::string affects = "all";  // "all", or bounds joined by commas, every one of which must hold (ParseAffects)
  std::optional<PatroniVersion> fixed_in;  // nullopt: not fixed yet
  bool Affects(const PatroniVersion& v) const;
};

// `affects` ("all", "< 3.1.0", ">= 2.1.0, < 3.1.0") into bounds, or an error naming the fix.
Result<std::vector<VersionBound>> ParseAffects(const std::string& text);

enum class KnownBugOutcome {
  kReproducedAffected,
  kNotReproducedFixed,
  kReproducedFixed,
  kNotReproducedAffected,
  kNoVersion
};

struct KnownBugVerdict {
  KnownBugOutcome outcome = KnownBugOutcome::kNoVersion;
  bool expected = false;  // what the version table says should happen
  int runs = 0, reproduced = 0;
  std::string text;  // the verdict in words, as the reports print it
};

// `patroni_version`: what `patroni --version` said ("patroni 3.0.2"), "" when unread.
KnownBugVerdict JudgeKnownBug(const KnownBug& bug, const std::string& patroni_version, int runs, int reproduced);

}  // namespace pgha
