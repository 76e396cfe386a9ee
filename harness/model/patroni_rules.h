// Patroni's rules by version: the settings a given Patroni really runs
// with, from the ones written. From 3.2.0 Patroni raises loop_wait,
// retry_timeout and ttl below its minimums (1, 3 and 20 s) and then
// enforces loop_wait + 2*retry_timeout <= ttl by lowering loop_wait (or, at
// its minimum, retry_timeout), logging a warning for each change
// (patroni/config.py, _validate_and_adjust_timeouts, PR #2869); before it
// every value runs as written. In every version the watchdog's timeout is
// ttl - safety_margin (ttl/2 for -1), and Patroni runs without a watchdog
// when that leaves less than loop_wait (patroni/watchdog/base.py).
//
// ApplyPatroniRules is what lint, the predictor, sweeps and the reports
// use; ParseAdjustmentLog reads the warnings back from a Patroni log so a
// run on someone else's cluster confirms what ran. Pure.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <vector>

#include "model/topology.h"

namespace pgha {

struct PatroniVersion {
  int major = 0, minor = 0, patch = 0;
  auto operator<=>(const PatroniVersion&) const = default;
  std::string ToString() const;  // "3.0.2"
};

// "3.0.2", "patroni 3.0.2", "4.0.1rc1" (the suffix dropped); nullopt otherwise.
std::optional<PatroniVersion> ParsePatroniVersion(const std::string& text);

// The version this machine has (Debian 12): what lint assumes with none installed.
inline constexpr PatroniVersion kDebianPatroni{3, 0, 2};

// One change Patroni makes to a written value, with its reason and the
// warning it logs (as Patroni words it, the numbers filled in).
struct SettingAdjustment {
  std::string setting;  // "ttl", "loop_wait", "retry_timeout", "watchdog"
  std::string written;  // "5s"
  std::string applied;  // "20s"
  std::string rule;     // "minimum 20s from 3.2.0"
  std::string log_line;
};

// One row of the table: from which version a rule holds, in words.
struct PatroniRule {
  PatroniVersion since;
  std::optional<PatroniVersion> until;  // first version without it; nullopt: still in force
  std::string what;
  std::string source;
};
const std::vector<PatroniRule>& PatroniRuleTable();

// "ttl 20s (written 5s: minimum 20s from 3.2.0), retry_timeout 3s (...)"; "" for none.
std::string DescribeAdjustments(const std::vector<SettingAdjustment>& list);

struct EffectivePatroni {
  PatroniVersion version;
  PatroniSettings written;
  PatroniSettings applied;
  std::vector<SettingAdjustment> adjustments;  // empty: everything runs as written
  // The watchdog's timeout and slack after the adjustments (seconds), when one is asked for.
  std::optional<int> watchdog_timeout_s;
  bool Adjusted() const { return !adjustments.empty(); }
  std::string Describe() const;  // "Patroni 3.2.0 runs ttl 20s (written 5s: minimum 20s from 3.2.0), ..."
};

EffectivePatroni ApplyPatroniRules(const PatroniSettings& written, const PatroniVersion& version);

// The fastest timings a version runs as written: the reference settings
// (ttl 5s, loop_wait 1s, retry_timeout 2s) before 3.2.0, its minimums
// (ttl 20s, loop_wait 1s, retry_timeout 3s) from it.
PatroniSettings FastestTimings(const PatroniVersion& version, PatroniSettings base = {});
std::string DescribeTimings(const PatroniSettings& p);  // "ttl 5s, loop_wait 1s, retry_timeout 2s"

// The adjustments a Patroni log reports ("ttl=5 can't be smaller than 20,
// adjusting..." and the "Violated the rule" lines), each once.
std::vector<SettingAdjustment> ParseAdjustmentLog(const std::string& log_text);

}  // namespace pgha
