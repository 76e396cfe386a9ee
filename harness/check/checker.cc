#include "check/checker.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>

namespace pgha {
namespace {

double Sec(int64_t ns) { return static_cast<double>(ns) / 1e9; }

// A replica this close to the leader is caught up: under a steady write
// load a streaming replica is a few kB behind at any given sample.
constexpr int64_t kCaughtUpBytes = 1 << 20;

std::optional<int64_t> LastJournal(const History& h, const std::string& action) {
  std::optional<int64_t> t;
  for (const auto& j : h.journal)
    if (j.action == action) t = j.t_ns;
  return t;
}

// One outage: anchored at fault time t0, ending at `end` (nullptr when the
// writes never came back). See the definition in checker.h.
struct OutageFound {
  int64_t t0 = 0;
  std::string old_server;
  const Op* end = nullptr;
};

OutageFound MeasureOutage(const std::vector<const Op*>& writes, int64_t t0, std::optional<int64_t> next_inject) {
  OutageFound o;
  o.t0 = t0;
  for (const Op* w : writes)
    if (w->outcome == Outcome::kOk && w->complete_ns < t0) o.old_server = w->server;
  const Op* first_new_server = nullptr;
  std::optional<int64_t> last_failure_invoke;
  for (const Op* w : writes) {
    if (w->complete_ns < t0) continue;
    const bool before_next = !next_inject || w->invoke_ns < *next_inject;
    if (w->outcome != Outcome::kOk && before_next) last_failure_invoke = std::max(last_failure_invoke.value_or(0), w->invoke_ns);
    if (w->outcome == Outcome::kOk && !first_new_server && !w->server.empty() && w->server != o.old_server) first_new_server = w;
  }
  if (first_new_server) {
    o.end = first_new_server;
  } else if (last_failure_invoke) {
    for (const Op* w : writes)
      if (w->outcome == Outcome::kOk && w->invoke_ns > *last_failure_invoke) {
        o.end = w;
        break;
      }
  }
  return o;
}

void Failover(const History& h, Measurements* m) {
  std::vector<const JournalEntry*> injects;
  for (const auto& j : h.journal)
    if (j.action == "inject") injects.push_back(&j);
  if (injects.empty()) return;
  m->fault_injected = true;
  const int64_t first = injects.front()->t_ns;
  std::vector<const Op*> writes;
  for (const auto& op : h.ops)
    if (op.type == OpType::kWrite) writes.push_back(&op);
  std::sort(writes.begin(), writes.end(), [](const Op* a, const Op* b) { return a->complete_ns < b->complete_ns; });
  auto next_inject_after = [&](int64_t t) -> std::optional<int64_t> {
    for (const auto* j : injects)
      if (j->t_ns > t) return j->t_ns;
    return std::nullopt;
  };

  // Outages, one per fault that caused one: the first write that failed
  // after `from` is anchored at the latest fault injected before it was
  // invoked. Failures that belong to a fault already measured (a heal
  // going wrong, say) are not a new outage.
  std::vector<OutageFound> found;
  std::vector<const JournalEntry*> anchors;
  // Each pass adds an outage or moves min_invoke to a later fault, so the
  // loop ends after at most twice as many passes as there were faults.
  int64_t from = first;
  int64_t min_invoke = std::numeric_limits<int64_t>::min();
  for (;;) {
    const Op* failure = nullptr;
    for (const Op* w : writes)
      if (w->complete_ns >= from && w->invoke_ns >= min_invoke && w->outcome != Outcome::kOk &&
          (!failure || w->invoke_ns < failure->invoke_ns))
        failure = w;
    if (!failure) break;
    const JournalEntry* anchor = injects.front();
    for (const auto* j : injects)
      if (j->t_ns <= failure->invoke_ns) anchor = j;
    if (std::find(anchors.begin(), anchors.end(), anchor) != anchors.end()) {
      auto next = next_inject_after(failure->invoke_ns);
      if (!next) break;
      min_invoke = *next;
      continue;
    }
    anchors.push_back(anchor);
    found.push_back(MeasureOutage(writes, anchor->t_ns, next_inject_after(anchor->t_ns)));
    if (!found.back().end) break;
    from = std::max(found.back().end->complete_ns, anchor->t_ns) + 1;
  }
  for (size_t i = 0; i < found.size(); ++i) {
    Outage out;
    out.fault_id = anchors[i]->fault_id;
    out.fault_at_s = Sec(found[i].t0);
    out.recovered = found[i].end != nullptr;
    out.duration_s = Sec((found[i].end ? found[i].end->complete_ns : h.end_ns) - found[i].t0);
    m->outages.push_back(out);
  }
  if (found.empty()) {
    // No write failed after the first fault: no outage.
    m->fault_at_s = Sec(first);
    for (const Op* w : writes)
      if (w->outcome == Outcome::kOk && w->complete_ns < first) m->old_primary_server = w->server;
    const bool any_ok_after = std::any_of(writes.begin(), writes.end(), [&](const Op* w) { return w->outcome == Outcome::kOk && w->complete_ns >= first; });
    m->failover_time_s = 0;
    m->recovered_writes = any_ok_after || writes.empty();
    if (!m->recovered_writes) m->failover_time_s = Sec(h.end_ns - first);
    return;
  }
  // failover_time is the worst outage; the phases are read for that one.
  size_t worst = 0;
  for (size_t i = 1; i < m->outages.size(); ++i)
    if (!m->outages[i].recovered || (m->outages[worst].recovered && m->outages[i].duration_s > m->outages[worst].duration_s)) worst = i;
  const std::optional<int64_t> t0 = found[worst].t0;
  m->fault_at_s = Sec(*t0);
  m->old_primary_server = found[worst].old_server;
  m->recovered_writes = found[worst].end != nullptr;
  m->failover_time_s = m->outages[worst].duration_s;

  // Phases from the observer.
  std::string old_leader;
  for (const auto& s : h.observer)
    if (s.t_ns < *t0 && !s.leader.empty()) old_leader = s.leader;
  std::optional<int64_t> key_gone, elected, switched;
  std::string new_leader;
  for (const auto& s : h.observer) {
    if (s.t_ns < *t0 || !s.reachable) continue;
    if (!key_gone && s.leader != old_leader) key_gone = s.t_ns;
    if (!elected && !s.leader.empty() && s.leader != old_leader) {
      elected = s.t_ns;
      new_leader = s.leader;
    }
    if (elected && !switched && s.haproxy_reachable && s.haproxy_primary_up.size() == 1 && s.haproxy_primary_up[0] == new_leader)
      switched = s.t_ns;
  }
  std::optional<int64_t> promoted;
  if (!new_leader.empty())
    for (const auto& op : h.ops)
      if (op.type == OpType::kProbe && op.node == new_leader && op.outcome == Outcome::kOk && op.invoke_ns >= *t0 &&
          (!promoted || op.complete_ns < *promoted))
        promoted = op.complete_ns;
  auto rel = [&](std::optional<int64_t> t) -> std::optional<double> {
    if (!t) return std::nullopt;
    return Sec(*t - *t0);
  };
  m->phases = {{"leader key gone", rel(key_gone)},
               {"new leader elected", rel(elected)},
               {"new primary accepts writes", rel(promoted)},
               {"HAProxy routes to it", rel(switched)},
               {"first acknowledged write", m->failover_time_s}};
}

void LostWrites(const History& h, Measurements* m) {
  m->final_read_ok = h.final_read_ok;
  m->final_read_error = h.final_read_error;
  for (const auto& op : h.ops) {
    if (op.type == OpType::kWrite) {
      if (op.outcome == Outcome::kOk) ++m->writes_ok;
      else if (op.outcome == Outcome::kFail) ++m->writes_failed;
      else ++m->writes_info;
    } else if (op.type == OpType::kRead) {
      if (op.outcome == Outcome::kOk) ++m->reads_ok;
      else ++m->reads_failed;
    }
    if (op.type != OpType::kWrite || !h.final_read_ok) continue;
    const bool present = h.final_keys.count(op.key) > 0;
    if (op.outcome == Outcome::kOk && !present) m->lost_keys.push_back(op.key);
    if (op.outcome == Outcome::kInfo) (present ? m->info_recovered_keys : m->info_absent_keys).push_back(op.key);
  }
  for (auto* v : {&m->lost_keys, &m->info_recovered_keys, &m->info_absent_keys}) std::sort(v->begin(), v->end());
}

void SplitBrain(const History& h, Measurements* m) {
  // Writable intervals per node from consecutive accepted probes.
  std::map<std::string, std::vector<const Op*>> probes;
  for (const auto& op : h.ops)
    if (op.type == OpType::kProbe) probes[op.node].push_back(&op);
  struct Span {
    int64_t start, end;
    std::string node;
  };
  std::vector<Span> spans;
  for (auto& [node, ops] : probes) {
    std::sort(ops.begin(), ops.end(), [](const Op* a, const Op* b) { return a->invoke_ns < b->invoke_ns; });
    const Op* first = nullptr;
    const Op* last = nullptr;
    for (const Op* op : ops) {
      if (op->outcome == Outcome::kOk) {
        if (!first) first = op;
        last = op;
      } else if (first) {
        spans.push_back({first->invoke_ns, last->complete_ns, node});
        first = last = nullptr;
      }
    }
    if (first) spans.push_back({first->invoke_ns, last->complete_ns, node});
  }
  // Sweep: time with two or more distinct nodes writable.
  std::vector<std::pair<int64_t, int>> events;
  for (size_t i = 0; i < spans.size(); ++i) {
    events.push_back({spans[i].start, static_cast<int>(i) + 1});
    events.push_back({spans[i].end, -static_cast<int>(i) - 1});
  }
  std::sort(events.begin(), events.end());
  std::map<std::string, int> open;
  int64_t since = 0;
  for (const auto& [t, e] : events) {
    const Span& s = spans[std::abs(e) - 1];
    const bool was_split = open.size() >= 2;
    if (e > 0) ++open[s.node];
    else if (--open[s.node] == 0) open.erase(s.node);
    const bool is_split = open.size() >= 2;
    if (!was_split && is_split) since = t;
    if (was_split && !is_split) {
      Interval iv{Sec(since), Sec(t), {}};
      for (const auto& sp : spans)
        if (sp.start < t && sp.end > since) iv.nodes.push_back(sp.node);
      std::sort(iv.nodes.begin(), iv.nodes.end());
      iv.nodes.erase(std::unique(iv.nodes.begin(), iv.nodes.end()), iv.nodes.end());
      m->split_brain_s += iv.end_s - iv.start_s;
      m->split_brain_intervals.push_back(iv);
    }
  }
  // Acknowledged writes served by one node while another node was writable.
  std::map<std::string, std::string> node_of_address;
  for (const auto& op : h.ops)
    if (op.type == OpType::kProbe && !op.server.empty()) node_of_address[op.server] = op.node;
  for (const auto& op : h.ops) {
    if (op.outcome != Outcome::kOk || (op.type != OpType::kWrite && op.type != OpType::kProbe)) continue;
    std::string node = op.type == OpType::kProbe ? op.node : node_of_address[op.server];
    if (node.empty()) continue;
    for (const auto& iv : m->split_brain_intervals)
      if (Sec(op.complete_ns) >= iv.start_s && Sec(op.invoke_ns) <= iv.end_s &&
          std::find(iv.nodes.begin(), iv.nodes.end(), node) != iv.nodes.end()) {
        ++m->split_brain_writes;
        break;
      }
  }
}

void Recovery(const History& h, Measurements* m) {
  std::string last_leader;
  int last_timeline = -1;
  for (const auto& s : h.observer) {
    if (s.leader.empty()) continue;
    if (!last_leader.empty() && s.leader != last_leader) ++m->leader_changes;
    last_leader = s.leader;
    for (const auto& mem : s.members)
      if (mem.name == s.leader && mem.timeline >= 0) {
        if (last_timeline >= 0 && mem.timeline != last_timeline) ++m->timeline_changes;
        last_timeline = mem.timeline;
      }
  }
  auto heal = LastJournal(h, "heal");
  if (!heal) return;
  m->healed = true;
  // The start of the last stretch of recovered samples that lasts to the
  // end of the run: a heal that acts asynchronously (a reinitialize) can
  // leave the cluster looking whole for a moment before it starts.
  std::optional<int64_t> stretch;
  for (const auto& s : h.observer) {
    if (s.t_ns < *heal) continue;
    if (!s.reachable || s.leader.empty()) {
      stretch.reset();
      continue;
    }
    int leader_tl = -1;
    for (const auto& mem : s.members)
      if (mem.name == s.leader) leader_tl = mem.timeline;
    bool all = !s.members.empty();
    // A member missing from Patroni's list (its key expired) is not recovered.
    for (const auto& expected : h.members)
      all = all && std::any_of(s.members.begin(), s.members.end(), [&](const PatroniMember& m) { return m.name == expected; });
    for (const auto& mem : s.members)
      all = all && mem.IsRunning() && (mem.IsLeader() ? mem.name == s.leader : mem.lag_bytes >= 0 && mem.lag_bytes <= kCaughtUpBytes) &&
            (leader_tl < 0 || mem.timeline == leader_tl);
    if (!all) stretch.reset();
    else if (!stretch) stretch = s.t_ns;
  }
  if (stretch) m->recovery_time_s = Sec(*stretch - *heal);
}

void Latency(const History& h, Measurements* m) {
  std::vector<double> lat;
  int64_t first = -1, last = -1;
  for (const auto& op : h.ops) {
    if (op.type != OpType::kWrite || op.outcome != Outcome::kOk) continue;
    lat.push_back(Sec(op.complete_ns - op.invoke_ns));
    if (first < 0 || op.invoke_ns < first) first = op.invoke_ns;
    last = std::max(last, op.complete_ns);
  }
  if (lat.empty()) return;
  std::sort(lat.begin(), lat.end());
  auto pct = [&](double p) { return lat[std::min(lat.size() - 1, static_cast<size_t>(p * (lat.size() - 1) + 0.5))]; };
  m->latency_p50_s = pct(0.50);
  m->latency_p95_s = pct(0.95);
  m->latency_p99_s = pct(0.99);
  if (last > first) m->throughput_per_s = static_cast<double>(lat.size()) / Sec(last - first);
}

std::string FormatSeconds(double s) { return fmt::format("{:.2f}s", s); }

}  // namespace

Measurements Analyze(const History& h) {
  Measurements m;
  Failover(h, &m);
  LostWrites(h, &m);
  SplitBrain(h, &m);
  Recovery(h, &m);
  Latency(h, &m);
  return m;
}

std::string VerdictName(VerdictStatus s) {
  switch (s) {
    case VerdictStatus::kPass: return "pass";
    case VerdictStatus::kFail: return "fail";
    case VerdictStatus::kError: return "error";
    case VerdictStatus::kSkipped: return "skipped";
  }
  return "?";
}

std::vector<Verdict> Judge(const std::vector<Expectation>& expectations, const Measurements& m, const RunFacts& facts) {
  std::vector<Verdict> out;
  for (const auto& e : expectations) {
    Verdict v;
    v.expectation = e;
    auto set = [&](double value, std::string text) {
      v.measured = value;
      v.measured_text = std::move(text);
      v.status = e.Holds(value) ? VerdictStatus::kPass : VerdictStatus::kFail;
      if (v.status == VerdictStatus::kFail)
        v.reason = fmt::format("{} {} {} expected, measured {}", e.metric, ComparisonText(e.comparison), e.text, v.measured_text);
    };
    if (!facts.infrastructure_error.empty()) {
      v.status = VerdictStatus::kError;
      v.reason = facts.infrastructure_error;
    } else if (e.metric == "failover_time") {
      if (!m.fault_injected) {
        v.status = VerdictStatus::kSkipped;
        v.reason = facts.skipped_faults.empty() ? "no fault was injected" : "every fault was skipped: " + facts.skipped_faults[0];
      } else if (!m.recovered_writes) {
        set(*m.failover_time_s, fmt::format("no acknowledged write after the fault ({} to the end of the run)", FormatSeconds(*m.failover_time_s)));
        v.status = VerdictStatus::kFail;
        v.reason = "writes never recovered after the fault";
      } else {
        set(*m.failover_time_s, FormatSeconds(*m.failover_time_s));
      }
    } else if (e.metric == "lost_writes") {
      if (!m.final_read_ok) {
        v.status = VerdictStatus::kError;
        v.reason = "the final read-back failed: " + m.final_read_error;
      } else {
        set(static_cast<double>(m.lost_keys.size()), std::to_string(m.lost_keys.size()));
      }
    } else if (e.metric == "split_brain") {
      set(m.split_brain_s, FormatSeconds(m.split_brain_s));
    } else if (e.metric == "split_brain_writes") {
      set(static_cast<double>(m.split_brain_writes), std::to_string(m.split_brain_writes));
    } else if (e.metric == "recovery_time") {
      if (!m.healed) {
        v.status = VerdictStatus::kSkipped;
        v.reason = "nothing was healed";
      } else if (!m.recovery_time_s) {
        v.status = VerdictStatus::kFail;
        v.measured_text = "not recovered before the run ended";
        v.reason = "the cluster did not recover after the heal";
      } else {
        set(*m.recovery_time_s, FormatSeconds(*m.recovery_time_s));
      }
    } else if (e.metric == "failed_writes") {
      set(static_cast<double>(m.writes_failed + m.writes_info), std::to_string(m.writes_failed + m.writes_info));
    } else if (e.metric == "leader_changes") {
      set(m.leader_changes, std::to_string(m.leader_changes));
    } else if (e.metric == "timeline_changes") {
      set(m.timeline_changes, std::to_string(m.timeline_changes));
    } else if (e.metric == "write_latency_p99") {
      set(m.latency_p99_s, fmt::format("{:.3f}s", m.latency_p99_s));
    } else {
      v.status = VerdictStatus::kError;
      v.reason = "the checker does not know metric " + e.metric;
    }
    // A run whose every fault was skipped proves nothing about the fault:
    // its targets are skipped too, whatever was measured.
    if (!m.fault_injected && !facts.skipped_faults.empty() &&
        (v.status == VerdictStatus::kPass || v.status == VerdictStatus::kFail)) {
      v.status = VerdictStatus::kSkipped;
      v.reason = "every fault was skipped: " + facts.skipped_faults[0];
    }
    out.push_back(v);
  }
  return out;
}

}  // namespace pgha
