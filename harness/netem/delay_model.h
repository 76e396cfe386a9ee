// The packet engine's pure parts: how long one packet is held
// (DelayModel: a delay, a jitter and a distribution, a share of packets
// that skip the delay, a share duplicated) and the packets held so far,
// released in order of their due time (DelaySchedule, bounded).
// No I/O; the engine (packet_engine.h) feeds them kernel packet ids.
#pragma once

#include <cstdint>
#include <optional>
#include <queue>
#include <random>
#include <string>
#include <vector>

#include "core/status.h"

namespace pgha {

enum class DelayDistribution { kUniform, kNormal, kPareto };

struct DelayModel {
  double delay_ms = 0;
  double jitter_ms = 0;  // uniform: +-jitter; normal: one standard deviation; pareto: the tail's scale
  DelayDistribution distribution = DelayDistribution::kUniform;
  double reorder_percent = 0;    // packets sent at once, overtaking those held
  double duplicate_percent = 0;  // packets sent twice

  // One packet's delay, never below 0 (not counting reordering).
  double SampleMs(std::mt19937_64& rng) const;
  // What a probe of many packets should show: the median and the standard
  // deviation of the delays with reordering (those packets are not delayed)
  // and the clipping at 0; from 20001 draws of a fixed seed, so the same model
  // always gives the same figures.
  struct Spread {
    double median_ms = 0;
    double stddev_ms = 0;
  };
  Spread Expected() const;
  std::string Describe() const;  // "200ms +-20ms normal, 10% reordered"
};

std::optional<DelayDistribution> DistributionFromName(const std::string& name);
std::string DistributionName(DelayDistribution d);

// Held packets by due time (then by arrival: equal delays keep their order).
class DelaySchedule {
 public:
  explicit DelaySchedule(size_t capacity) : capacity_(capacity) {}
  // false when full: the caller releases the packet at once.
  bool Hold(uint32_t packet_id, int64_t due_ns, bool duplicate);
  struct Due {
    uint32_t packet_id;
    bool duplicate;
  };
  // The packets due at `now_ns`, in release order.
  std::vector<Due> TakeDue(int64_t now_ns);
  std::vector<Due> TakeAll();
  // When the next packet is due; nullopt when none is held.
  std::optional<int64_t> NextDue() const;
  size_t size() const { return heap_.size(); }

 private:
  struct Entry {
    int64_t due_ns;
    uint64_t seq;
    uint32_t packet_id;
    bool duplicate;
    bool operator>(const Entry& o) const { return due_ns != o.due_ns ? due_ns > o.due_ns : seq > o.seq; }
  };
  size_t capacity_;
  uint64_t seq_ = 0;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap_;
};

}  // namespace pgha
