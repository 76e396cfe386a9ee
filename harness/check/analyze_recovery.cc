// leader_changes, timeline_changes and recovery_time (definitions in
// measurements.h).
#include <algorithm>
#include <string>

#include <fmt/format.h>

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

// Measurements::leadership_losses, from the watch where it saw anything,
// and whether it did and the leader key's overwrites it saw (m's
// leader_key_watched and leader_key_overwrites).
int LeadershipLosses(const History& h, Measurements* m) {
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
      if (!gone && !holder.empty() && e.subject != holder) {
        ++losses;
        m->leader_key_overwrites.push_back({SecondsOfNs(e.t_ns), holder, e.subject});
      }
      holder = e.subject;
      gone = false;
    }
  }
  m->leader_key_watched = watched;
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

std::string WhyNotRecovered(const std::vector<std::string>& members, const ObserverSample& s) {
  if (!s.reachable) return "no Patroni answered";
  if (s.leader.empty()) return "no member held the leader key";
  int leader_tl = -1;
  for (const auto& mem : s.members)
    if (mem.name == s.leader) leader_tl = mem.timeline;
  std::vector<std::string> why;
  // A member missing from Patroni's list (its key expired) is not recovered.
  for (const auto& expected : members)
    if (std::none_of(s.members.begin(), s.members.end(), [&](const PatroniMember& m) { return m.name == expected; }))
      why.push_back(expected + " not listed by Patroni");
  for (const auto& mem : s.members) {
    const std::string as =
        mem.name + " (" + mem.role + ", " + mem.state + ", timeline " + std::to_string(mem.timeline) + ")";
    if (mem.IsLeader() && mem.name != s.leader)
      why.push_back(as + " a leader without the key, held by " + s.leader);
    else if (!mem.IsRunning())
      why.push_back(as + " not running");
    else if (leader_tl >= 0 && mem.timeline != leader_tl)
      why.push_back(as + " not on the leader's timeline " + std::to_string(leader_tl));
    else if (!mem.IsLeader() && (mem.lag_bytes < 0 || mem.lag_bytes > kCaughtUpBytes))
      why.push_back(as + (mem.lag_bytes < 0 ? " lag unknown" : " " + std::to_string(mem.lag_bytes) + " bytes behind"));
  }
  if (s.members.empty() && why.empty()) why.push_back("Patroni listed no member");
  std::string out;
  for (const auto& w : why) out += (out.empty() ? "" : "; ") + w;
  return out;
}

std::string DescribeOverwrite(const LeaderKeyOverwrite& o) {
  return fmt::format(
      "the leader key went from {} to {} at {:.2f}s without expiring: {}'s Patroni wrote a key it did not hold, "
      "and {} must demote; its writes since it took the key are lost (Patroni before 3.0.3 wrote the key "
      "without a compare once its own lease had expired, patroni PR #2689)",
      o.from, o.to, o.at_s, o.to, o.from);
}

bool SampleShowsRecovered(const std::vector<std::string>& members, const ObserverSample& s) {
  return WhyNotRecovered(members, s).empty();
}

void AnalyzeRecovery(const History& h, Measurements* m) {
  Changes(h, m);
  m->leadership_losses = LeadershipLosses(h, m);
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
  if (!stretch && !h.observer.empty() && h.observer.back().t_ns >= *heal)
    m->not_recovered_because = WhyNotRecovered(h.members, h.observer.back());
}

}  // namespace pgha
