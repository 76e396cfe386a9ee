#include "netem/delay_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace pgha {
namespace {
// Pareto's shape: 2 keeps the mean finite and gives a long tail.
constexpr double kParetoShape = 2.0;
}  // namespace

double DelayModel::SampleMs(std::mt19937_64& rng) const {
  double d = delay_ms;
  if (jitter_ms > 0) {
    switch (distribution) {
      case DelayDistribution::kUniform: d += std::uniform_real_distribution<double>(-jitter_ms, jitter_ms)(rng); break;
      case DelayDistribution::kNormal: d += std::normal_distribution<double>(0, jitter_ms)(rng); break;
      case DelayDistribution::kPareto: {
        const double u = std::uniform_real_distribution<double>(1e-9, 1.0)(rng);
        d += jitter_ms * (std::pow(u, -1.0 / kParetoShape) - 1.0);
        break;
      }
    }
  }
  return std::max(0.0, d);
}

DelayModel::Spread DelayModel::Expected() const {
  constexpr int kDraws = 20001;
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> pct(0, 100);
  std::vector<double> d(kDraws);
  double sum = 0, squares = 0;
  for (double& x : d) {
    x = reorder_percent > 0 && pct(rng) < reorder_percent ? 0 : SampleMs(rng);
    sum += x;
    squares += x * x;
  }
  std::nth_element(d.begin(), d.begin() + kDraws / 2, d.end());
  const double mean = sum / kDraws;
  return {d[kDraws / 2], std::sqrt(std::max(0.0, squares / kDraws - mean * mean))};
}

std::string DelayModel::Describe() const {
  std::string s = fmt::format("{:g}ms", delay_ms);
  if (jitter_ms > 0) s += fmt::format(" +-{:g}ms {}", jitter_ms, DistributionName(distribution));
  if (reorder_percent > 0) s += fmt::format(", {:g}% reordered", reorder_percent);
  if (duplicate_percent > 0) s += fmt::format(", {:g}% duplicated", duplicate_percent);
  return s;
}

std::optional<DelayDistribution> DistributionFromName(const std::string& name) {
  if (name == "uniform") return DelayDistribution::kUniform;
  if (name == "normal") return DelayDistribution::kNormal;
  if (name == "pareto") return DelayDistribution::kPareto;
  return std::nullopt;
}

std::string DistributionName(DelayDistribution d) {
  switch (d) {
    case DelayDistribution::kUniform: return "uniform";
    case DelayDistribution::kNormal: return "normal";
    case DelayDistribution::kPareto: return "pareto";
  }
  return "?";
}

bool DelaySchedule::Hold(uint32_t packet_id, int64_t due_ns, bool duplicate) {
  if (heap_.size() >= capacity_) return false;
  heap_.push({due_ns, seq_++, packet_id, duplicate});
  return true;
}

std::vector<DelaySchedule::Due> DelaySchedule::TakeDue(int64_t now_ns) {
  std::vector<Due> out;
  while (!heap_.empty() && heap_.top().due_ns <= now_ns) {
    out.push_back({heap_.top().packet_id, heap_.top().duplicate});
    heap_.pop();
  }
  return out;
}

std::vector<DelaySchedule::Due> DelaySchedule::TakeAll() { return TakeDue(INT64_MAX); }

std::optional<int64_t> DelaySchedule::NextDue() const {
  if (heap_.empty()) return std::nullopt;
  return heap_.top().due_ns;
}

}  // namespace pgha
