#include "check/checker.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace pgha {
namespace {

double Sec(int64_t ns) { return static_cast<double>(ns) / 1e9; }

std::optional<int64_t> FirstJournal(const History& h, const std::string& action) {
  for (const auto& j : h.journal)
    if (j.action == action) return j.t_ns;
  return std::nullopt;
}

std::optional<int64_t> LastJournal(const History& h, const std::string& action) {
  std::optional<int64_t> t;
  for (const auto& j : h.journal)
    if (j.action == action) t = j.t_ns;
  return t;
}

void Failover(const History& h, Measurements* m) {
  auto first = FirstJournal(h, "inject");
  if (!first) return;
  m->fault_injected = true;
  std::vector<const Op*> writes;
  for (const auto& op : h.ops)
    if (op.type == OpType::kWrite) writes.push_back(&op);
  std::sort(writes.begin(), writes.end(), [](const Op* a, const Op* b) { return a->complete_ns < b->complete_ns; });
  // Anchor at the fault that caused the outage: the latest one injected
  // before the first write that failed after the first fault.
  std::optional<int64_t> t0 = first;
  std::optional<int64_t> outage_start;
  for (const Op* w : writes)
    if (w->complete_ns >= *first && w->outcome != Outcome::kOk && (!outage_start || w->invoke_ns < *outage_start))
      outage_start = w->invoke_ns;
  if (outage_start)
    for (const auto& j : h.journal)
      if (j.action == "inject" && j.t_ns <= *outage_start) t0 = j.t_ns;
  m->fault_at_s = Sec(*t0);
  for (const Op* w : writes)
    if (w->outcome == Outcome::kOk && w->complete_ns < *t0) m->old_primary_server = w->server;

  const Op* first_new_server = nullptr;
  std::optional<int64_t> last_failure_invoke;
  for (const Op* w : writes) {
    if (w->complete_ns < *t0) continue;
    if (w->outcome != Outcome::kOk) last_failure_invoke = std::max(last_failure_invoke.value_or(0), w->invoke_ns);
    if (w->outcome == Outcome::kOk && !first_new_server && !w->server.empty() && w->server != m->old_primary_server)
      first_new_server = w;
  }
  const Op* end = nullptr;
  if (first_new_server) {
    end = first_new_server;
  } else if (last_failure_invoke) {
    for (const Op* w : writes)
      if (w->outcome == Outcome::kOk && w->invoke_ns > *last_failure_invoke) {
        end = w;
        break;
      }
  } else {
    bool any_ok_after = std::any_of(writes.begin(), writes.end(), [&](const Op* w) { return w->outcome == Outcome::kOk && w->complete_ns >= *t0; });
    m->failover_time_s = 0;
    m->recovered_writes = any_ok_after || writes.empty();
    if (!m->recovered_writes) m->failover_time_s = Sec(h.end_ns - *t0);
    return;
  }
  if (end) {
    m->failover_time_s = Sec(end->complete_ns - *t0);
  } else {
    m->recovered_writes = false;
    m->failover_time_s = Sec(h.end_ns - *t0);
  }

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
  for (const auto& s : h.observer) {
    if (s.leader.empty()) continue;
    if (!last_leader.empty() && s.leader != last_leader) ++m->leader_changes;
    last_leader = s.leader;
  }
  auto heal = LastJournal(h, "heal");
  if (!heal) return;
  m->healed = true;
  for (const auto& s : h.observer) {
    if (s.t_ns < *heal || !s.reachable || s.leader.empty()) continue;
    int leader_tl = -1;
    for (const auto& mem : s.members)
      if (mem.name == s.leader) leader_tl = mem.timeline;
    bool all = !s.members.empty();
    // A member missing from Patroni's list (its key expired) is not recovered.
    for (const auto& expected : h.members)
      all = all && std::any_of(s.members.begin(), s.members.end(), [&](const PatroniMember& m) { return m.name == expected; });
    for (const auto& mem : s.members)
      all = all && mem.IsRunning() && (mem.IsLeader() ? mem.name == s.leader : mem.lag_bytes == 0) &&
            (leader_tl < 0 || mem.timeline == leader_tl);
    if (all) {
      m->recovery_time_s = Sec(s.t_ns - *heal);
      return;
    }
  }
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
    } else if (e.metric == "write_latency_p99") {
      set(m.latency_p99_s, fmt::format("{:.3f}s", m.latency_p99_s));
    } else {
      v.status = VerdictStatus::kError;
      v.reason = "the checker does not know metric " + e.metric;
    }
    out.push_back(v);
  }
  return out;
}

}  // namespace pgha
