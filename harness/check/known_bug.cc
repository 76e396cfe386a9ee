#include "check/known_bug.h"

#include <fmt/format.h>

#include "core/text.h"

namespace pgha {

bool VersionBound::Holds(const PatroniVersion& v) const {
  switch (op) {
    case Op::kLess: return v < version;
    case Op::kLessEqual: return v <= version;
    case Op::kGreater: return v > version;
    case Op::kGreaterEqual: return v >= version;
  }
  return false;
}

bool KnownBug::Affects(const PatroniVersion& v) const {
  if (auto bounds = ParseAffects(affects); bounds.ok())  // the loader refused any other text
    for (const auto& b : *bounds)
      if (!b.Holds(v)) return false;
  return !fixed_in || v < *fixed_in;
}

Result<std::vector<VersionBound>> ParseAffects(const std::string& text) {
  std::vector<VersionBound> out;
  if (Trim(text) == "all") return out;
  for (const auto& part : Split(text, ',')) {
    const std::string p = Trim(part);
    VersionBound b;
    size_t skip = 1;
    if (p.rfind(">=", 0) == 0)
      b.op = VersionBound::Op::kGreaterEqual, skip = 2;
    else if (p.rfind("<=", 0) == 0)
      b.op = VersionBound::Op::kLessEqual, skip = 2;
    else if (p.rfind('>', 0) == 0)
      b.op = VersionBound::Op::kGreater;
    else if (p.rfind('<', 0) == 0)
      b.op = VersionBound::Op::kLess;
    else
      return InvalidInput("'" + p + "' is not a bound: write \"all\", or bounds such as \">= 2.1.0, < 3.1.0\"");
    auto v = ParsePatroniVersion(" " + Trim(p.substr(skip)));
    if (!v) return InvalidInput("'" + p + "' names no version: write it as \"< 3.1.0\"");
    b.version = *v;
    out.push_back(b);
  }
  return out;
}

KnownBugVerdict JudgeKnownBug(const KnownBug& bug, const std::string& patroni_version, int runs, int reproduced) {
  KnownBugVerdict v;
  v.runs = runs;
  v.reproduced = reproduced;
  const auto ran = ParsePatroniVersion(patroni_version);
  const std::string fixed = bug.fixed_in ? "fixed in " + bug.fixed_in->ToString() : "not fixed yet";
  if (!ran) {
    v.text = fmt::format("{}: no verdict, Patroni's version was not read ('{}')", bug.id, patroni_version);
    return v;
  }
  const std::string on = ran->ToString();
  const std::string tally = runs == 1 ? "" : fmt::format(" in {} of {} runs", reproduced, runs);
  const bool affected = bug.Affects(*ran);
  if (reproduced > 0 && affected) {
    v.outcome = KnownBugOutcome::kReproducedAffected;
    v.text = fmt::format("reproduced on {}{} (affected; {})", on, tally, fixed);
  } else if (reproduced > 0) {
    v.outcome = KnownBugOutcome::kReproducedFixed;
    v.text = fmt::format("reproduced on {}{}, which should not be affected ({}; affects {}): report it", on, tally,
                         fixed, bug.affects);
  } else if (affected) {
    v.outcome = KnownBugOutcome::kNotReproducedAffected;
    v.text = fmt::format(
        "not reproduced on {} in {} run{} although it is affected ({}): the scenario did not "
        "trigger the bug; see each run's figures",
        on, runs, runs == 1 ? "" : "s", fixed);
  } else {
    v.outcome = KnownBugOutcome::kNotReproducedFixed;
    v.text = fmt::format("not reproduced on {}{} ({})", on, runs == 1 ? "" : fmt::format(" in {} runs", runs),
                         bug.fixed_in ? fixed : "affects " + bug.affects);
  }
  v.expected = v.outcome == KnownBugOutcome::kReproducedAffected || v.outcome == KnownBugOutcome::kNotReproducedFixed;
  return v;
}

}  // namespace pgha
