#include "check/compare.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/units.h"

namespace pgha {

double Tolerance::For(double baseline_s) const {
  return std::max(floor_s, absolute_s > 0 ? absolute_s : relative * baseline_s);
}

Result<Tolerance> ParseTolerance(const std::string& text) {
  Tolerance t;
  if (text.empty()) return t;
  if (text.back() == '%') {
    auto v = ParseNumber(text.substr(0, text.size() - 1));
    if (!v || *v < 0) return InvalidInput("--tolerance: a percentage like 20% or a duration like 1.5s, got " + text);
    t.relative = *v / 100;
    return t;
  }
  auto d = ParseDuration(text);
  if (!d.ok()) return InvalidInput("--tolerance: a percentage like 20% or a duration like 1.5s, got " + text);
  t.absolute_s = ToSeconds(*d);
  t.floor_s = 0;
  return t;
}

Sample SampleOf(const std::vector<Measurements>& runs, const std::vector<Verdict>& verdicts) {
  Sample s;
  s.verdicts = verdicts;
  for (const auto& m : runs) {
    ++s.runs;
    if (m.failover_time_s && m.recovered_writes) s.failover_s.push_back(*m.failover_time_s);
    if (m.recovery_time_s) s.recovery_s.push_back(*m.recovery_time_s);
    s.lost_writes += static_cast<int64_t>(m.lost_keys.size());
    s.lost_runs += m.lost_keys.empty() ? 0 : 1;
    s.split_brain_s += m.split_brain_s;
    s.split_runs += m.split_brain_s > 0 ? 1 : 0;
  }
  return s;
}

namespace {

std::string Shown(const std::vector<double>& v) {
  if (v.empty()) return "-";
  if (v.size() == 1) return fmt::format("{:.2f}s", v.front());
  return fmt::format("median {:.2f}s ({} runs, {:.2f}-{:.2f}s)", Percentile(v, 50), v.size(),
                     *std::min_element(v.begin(), v.end()), *std::max_element(v.begin(), v.end()));
}

std::optional<Compared> CompareTimes(const std::string& what, const std::vector<double>& base,
                                     const std::vector<double>& now, const Tolerance& t) {
  if (base.empty() || now.empty()) return std::nullopt;
  const double b = Percentile(base, 50), n = Percentile(now, 50);
  const double spread = *std::max_element(base.begin(), base.end()) - *std::min_element(base.begin(), base.end());
  const double noise = std::max(spread, t.For(b));
  Compared c{what, Shown(base), Shown(now), n > b + noise, ""};
  c.why = c.regression    ? fmt::format("worse by {:.2f}s, more than the noise {:.2f}s", n - b, noise)
          : n < b - noise ? fmt::format("better by {:.2f}s", b - n)
                          : fmt::format("within the noise {:.2f}s", noise);
  return c;
}

Compared Appeared(const std::string& what, int base_runs, int base_of, int now_runs, int now_of,
                  const std::string& unit) {
  Compared c{what, fmt::format("{} of {} runs {}", base_runs, base_of, unit),
             fmt::format("{} of {} runs {}", now_runs, now_of, unit), base_runs == 0 && now_runs > 0, ""};
  c.why = c.regression ? "new: the baseline had none" : now_runs == 0 ? "none" : "as in the baseline";
  return c;
}

}  // namespace

std::vector<Compared> CompareSamples(const Sample& base, const Sample& now, const Tolerance& t) {
  std::vector<Compared> out;
  if (auto c = CompareTimes("failover_time", base.failover_s, now.failover_s, t)) out.push_back(*c);
  if (auto c = CompareTimes("recovery_time", base.recovery_s, now.recovery_s, t)) out.push_back(*c);
  out.push_back(Appeared("lost_writes", base.lost_runs, base.runs, now.lost_runs, now.runs, "lost writes"));
  out.push_back(Appeared("split_brain", base.split_runs, base.runs, now.split_runs, now.runs, "had two primaries"));
  for (const auto& v : now.verdicts)
    for (const auto& b : base.verdicts) {
      if (b.expectation.metric != v.expectation.metric || b.expectation.text != v.expectation.text) continue;
      const bool went_bad = b.status == VerdictStatus::kPass && v.status == VerdictStatus::kFail;
      out.push_back({"target " + v.expectation.metric + " " + v.expectation.text, VerdictName(b.status),
                     VerdictName(v.status), went_bad, went_bad ? "passed in the baseline, fails now" : ""});
    }
  return out;
}

}  // namespace pgha
