#include "model/patroni_rules.h"

#include <fmt/format.h>

#include <regex>
#include <set>

namespace pgha {
namespace {

constexpr PatroniVersion kTimeoutsEnforced{3, 2, 0};

int Whole(Duration d) { return static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(d).count()); }
std::string Secs(int s) { return fmt::format("{}s", s); }

// Patroni's __get_and_maybe_adjust_int_value: a value under its minimum is raised to it.
int RaiseToMinimum(const char* name, int value, int minimum, std::vector<SettingAdjustment>* out) {
  if (value >= minimum) return value;
  out->push_back({name, Secs(value), Secs(minimum), fmt::format("minimum {}s from 3.2.0", minimum),
                  fmt::format("{}={} can't be smaller than {}, adjusting...", name, value, minimum)});
  return minimum;
}

// Patroni's _validate_and_adjust_timeouts (3.2.0 and later).
void EnforceTimeouts(PatroniSettings* p, std::vector<SettingAdjustment>* out) {
  constexpr int kMinLoopWait = 1;
  int loop_wait = RaiseToMinimum("loop_wait", Whole(p->loop_wait), kMinLoopWait, out);
  int retry = RaiseToMinimum("retry_timeout", Whole(p->retry_timeout), 3, out);
  const int ttl = RaiseToMinimum("ttl", Whole(p->ttl), 20, out);
  const std::string rule = "loop_wait + 2*retry_timeout <= ttl, enforced from 3.2.0";
  if (kMinLoopWait + 2 * retry > ttl) {
    const int new_retry = (ttl - kMinLoopWait) / 2;
    const std::string line = fmt::format(
        "Violated the rule \"loop_wait + 2*retry_timeout <= ttl\", where ttl={}. Adjusting loop_wait "
        "from {} to {} and retry_timeout from {} to {}",
        ttl, loop_wait, kMinLoopWait, retry, new_retry);
    if (loop_wait != kMinLoopWait) out->push_back({"loop_wait", Secs(loop_wait), Secs(kMinLoopWait), rule, line});
    out->push_back({"retry_timeout", Secs(retry), Secs(new_retry), rule, line});
    loop_wait = kMinLoopWait;
    retry = new_retry;
  } else if (loop_wait + 2 * retry > ttl) {
    const int new_loop_wait = ttl - 2 * retry;
    out->push_back({"loop_wait", Secs(loop_wait), Secs(new_loop_wait), rule,
                    fmt::format("Violated the rule \"loop_wait + 2*retry_timeout <= ttl\", where ttl={} and "
                                "retry_timeout={}. Adjusting loop_wait from {} to {}",
                                ttl, retry, loop_wait, new_loop_wait)});
    loop_wait = new_loop_wait;
  }
  p->ttl = std::chrono::seconds(ttl);
  p->loop_wait = std::chrono::seconds(loop_wait);
  p->retry_timeout = std::chrono::seconds(retry);
}

// patroni/watchdog/base.py: the timeout, and no watchdog when it leaves less than loop_wait.
std::optional<int> Watchdog(PatroniSettings* p, std::vector<SettingAdjustment>* out) {
  if (p->watchdog == "off") return std::nullopt;
  const int ttl = Whole(p->ttl), loop_wait = Whole(p->loop_wait);
  const int timeout = p->watchdog_safety_margin == -1 ? ttl / 2 : ttl - p->watchdog_safety_margin;
  if (timeout - loop_wait < 0) {
    out->push_back(
        {"watchdog", p->watchdog, "off",
         fmt::format("its timeout, ttl - safety_margin = {}s, is under loop_wait {}s", timeout, loop_wait),
         fmt::format("Watchdog not supported because leader TTL {} is less than 2x loop_wait {}", ttl, loop_wait)});
    p->watchdog = "off";
    return std::nullopt;
  }
  return timeout;
}

}  // namespace

std::string PatroniVersion::ToString() const { return fmt::format("{}.{}.{}", major, minor, patch); }

std::optional<PatroniVersion> ParsePatroniVersion(const std::string& text) {
  static const std::regex kVersion(R"((?:^|\s)v?(\d{1,3})\.(\d{1,3})(?:\.(\d{1,3}))?)");
  std::smatch m;
  if (text.size() > 256 || !std::regex_search(text, m, kVersion)) return std::nullopt;
  PatroniVersion v{std::stoi(m[1]), std::stoi(m[2]), m[3].matched ? std::stoi(m[3]) : 0};
  return v;
}

const std::vector<PatroniRule>& PatroniRuleTable() {
  static const std::vector<PatroniRule> kTable = {
      {{0, 0, 0},
       kTimeoutsEnforced,
       "ttl, loop_wait and retry_timeout run as written; loop_wait + 2*retry_timeout <= ttl is documented, not checked",
       "patroni/config.py before PR #2869"},
      {kTimeoutsEnforced, std::nullopt,
       "loop_wait raised to 1s, retry_timeout to 3s, ttl to 20s; then loop_wait (or, at 1s, retry_timeout) lowered "
       "until loop_wait + 2*retry_timeout <= ttl; a WARNING for each",
       "patroni/config.py _validate_and_adjust_timeouts, PR #2869 (release notes 3.2.0)"},
      {{0, 0, 0},
       std::nullopt,
       "watchdog timeout ttl - safety_margin (ttl/2 when -1); under loop_wait Patroni runs without a watchdog",
       "patroni/watchdog/base.py"},
  };
  return kTable;
}

EffectivePatroni ApplyPatroniRules(const PatroniSettings& written, const PatroniVersion& version) {
  EffectivePatroni e;
  e.version = version;
  e.written = written;
  e.applied = written;
  if (version >= kTimeoutsEnforced) EnforceTimeouts(&e.applied, &e.adjustments);
  e.watchdog_timeout_s = Watchdog(&e.applied, &e.adjustments);
  return e;
}

PatroniSettings FastestTimings(const PatroniVersion& version, PatroniSettings base) {
  const bool clamps = version >= kTimeoutsEnforced;
  base.ttl = std::chrono::seconds(clamps ? 20 : 5);
  base.loop_wait = std::chrono::seconds(1);
  base.retry_timeout = std::chrono::seconds(clamps ? 3 : 2);
  return base;
}

std::string DescribeTimings(const PatroniSettings& p) {
  return fmt::format("ttl {}s, loop_wait {}s, retry_timeout {}s", Whole(p.ttl), Whole(p.loop_wait),
                     Whole(p.retry_timeout));
}

std::string DescribeAdjustments(const std::vector<SettingAdjustment>& list) {
  std::string out;
  for (const auto& a : list)
    out += fmt::format("{}{} {} (written {}: {})", out.empty() ? "" : ", ", a.setting, a.applied, a.written, a.rule);
  return out;
}

std::string EffectivePatroni::Describe() const {
  if (adjustments.empty()) return "Patroni " + version.ToString() + " runs every setting as written";
  return "Patroni " + version.ToString() + " runs " + DescribeAdjustments(adjustments);
}

std::vector<SettingAdjustment> ParseAdjustmentLog(const std::string& log_text) {
  static const std::regex kMinimum(R"((loop_wait|retry_timeout|ttl)=(\d+) can't be smaller than (\d+), adjusting)");
  static const std::regex kLoopWait(R"(Violated the rule .*Adjusting loop_wait from (\d+) to (\d+))");
  static const std::regex kRetry(R"(Violated the rule .*and retry_timeout from (\d+) to (\d+))");
  std::vector<SettingAdjustment> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& setting, const std::string& from, const std::string& to, const std::string& rule,
                 const std::string& line) {
    if (from == to || !seen.insert(setting + "=" + from + ">" + to).second) return;
    out.push_back({setting, from + "s", to + "s", rule, line});
  };
  size_t start = 0;
  while (start < log_text.size()) {
    size_t end = log_text.find('\n', start);
    if (end == std::string::npos) end = log_text.size();
    const std::string line = log_text.substr(start, std::min<size_t>(end - start, 4096));
    start = end + 1;
    const bool minimum = line.find("can't be smaller than") != std::string::npos;
    std::smatch m;
    if (minimum && std::regex_search(line, m, kMinimum)) add(m[1], m[2], m[3], "minimum " + m[3].str() + "s", line);
    if (line.find("Violated the rule") == std::string::npos) continue;
    if (std::regex_search(line, m, kLoopWait)) add("loop_wait", m[1], m[2], "loop_wait + 2*retry_timeout <= ttl", line);
    if (std::regex_search(line, m, kRetry))
      add("retry_timeout", m[1], m[2], "loop_wait + 2*retry_timeout <= ttl", line);
  }
  return out;
}

}  // namespace pgha
