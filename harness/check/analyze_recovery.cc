// leader_changes, timeline_changes and recovery_time (definitions in
// measurements.h).
#include <algorithm>

#include "check/measurements.h"
#include "check/op_index.h"

namespace pgha {
namespace {

// A replica this close to the leader is caught up: under a steady write
// load a streaming replica is a few kB behind at any given sample.
constexpr int64_t kCaughtUpBytes = 1 << 20;

void Changes(const History& h, Measurements* m) {
  std::string last_leader;
  int last_timeline = -1, highest = -1;
  for (const auto& s : h.observer) {
    if (s.leader.empty()) continue;
    if (!last_leader.empty() && s.leader != last_leader) ++m->leader_changes;
    last_leader = s.leader;
    for (const auto& mem : s.members)
      if (mem.name == s.leader && mem.timeline >= 0) {
        if (last_timeline >= 0 && mem.timeline != last_timeline) ++m->timeline_changes;
        if (mem.timeline < highest && mem.timeline != last_timeline) ++m->timeline_regressions;
        last_timeline = mem.timeline;
        highest = std::max(highest, mem.timeline);
      }
  }
}

// Measurements::leadership_losses, from the watch where it saw anything.
int LeadershipLosses(const History& h) {
  bool watched = false, gone = false;
  int losses = 0;
  std::string holder;
  for (const auto& e : h.events) {
    if (e.source != "etcd watch") continue;
    watched = true;
    if (e.kind == kEventLeaderKeyGone) {
      if (!gone) ++losses;
      gone = true;
    } else if (e.kind == kEventLeaderKeySet) {
      if (!gone && !holder.empty() && e.subject != holder) ++losses;
      holder = e.subject;
      gone = false;
    }
  }
  if (watched) return losses;
  std::string last_leader;
  int leaderless = 0;  // answered samples in a row with no leader
  for (const auto& s : h.observer) {
    if (!s.reachable) continue;
    if (s.leader.empty()) {
      if (++leaderless == 2 && !last_leader.empty()) ++losses;
      continue;
    }
    if (!last_leader.empty() && s.leader != last_leader && leaderless < 2) ++losses;
    last_leader = s.leader;
    leaderless = 0;
  }
  return losses;
}

}  // namespace

bool SampleShowsRecovered(const std::vector<std::string>& members, const ObserverSample& s) {
  if (!s.reachable || s.leader.empty() || s.members.empty()) return false;
  int leader_tl = -1;
  for (const auto& mem : s.members)
    if (mem.name == s.leader) leader_tl = mem.timeline;
  // A member missing from Patroni's list (its key expired) is not recovered.
  for (const auto& expected : members)
    if (std::none_of(s.members.begin(), s.members.end(), [&](const PatroniMember& m) { return m.name == expected; }))
      return false;
  for (const auto& mem : s.members) {
    const bool caught_up =
        mem.IsLeader() ? mem.name == s.leader : mem.lag_bytes >= 0 && mem.lag_bytes <= kCaughtUpBytes;
    if (!mem.IsRunning() || !caught_up || (leader_tl >= 0 && mem.timeline != leader_tl)) return false;
  }
  return true;
}

void AnalyzeRecovery(const History& h, Measurements* m) {
  Changes(h, m);
  m->leadership_losses = LeadershipLosses(h);
  std::optional<int64_t> heal;
  for (const auto& j : h.journal)
    if (j.action == JournalAction::kHeal) heal = j.t_ns;
  if (!heal) return;
  m->healed = true;
  // The start of the last stretch of recovered samples that lasts to the
  // end of the run: a heal that acts asynchronously (a reinitialize) can
  // leave the cluster looking whole for a moment before it starts.
  std::optional<int64_t> stretch;
  for (const auto& s : h.observer) {
    if (s.t_ns < *heal) continue;
    if (!SampleShowsRecovered(h.members, s))
      stretch.reset();
    else if (!stretch)
      stretch = s.t_ns;
  }
  if (stretch) m->recovery_time_s = SecondsOfNs(*stretch - *heal);
}

}  // namespace pgha
