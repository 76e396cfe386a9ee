// A synthetic run of any length, for the checker and report benchmarks and
// the report-size tests: `writes` client writes by 4 writers at 5000/s in
// all (so 10^7 writes are a run of 2000 s), node1 primary, a kill at 40%
// of the run, 2 s of failed and indeterminate writes, then node2; node1
// keeps accepting direct probes for 1 s after node2 took over (split
// brain); 20 acknowledged writes of node1's last second are lost; a read
// every 200 ms (some behind) and a direct probe per node every 100 ms; an
// observer sample every 250 ms. Deterministic.
#pragma once

#include "history/history.h"

namespace pgha::testing {

inline History SyntheticHistory(int64_t writes) {
  constexpr int64_t kMs = 1000000;
  constexpr int kWriters = 4;
  const int64_t step = 200000;  // 5000 writes/s in all
  const int64_t end = writes * step + 1000 * kMs;
  const int64_t kill = writes * step * 2 / 5, back = kill + 2000 * kMs;
  History h;
  h.members = {"node1", "node2", "node3"};
  h.end_ns = end;
  h.final_read_ok = true;
  h.final_primary = "node2";
  h.ops.reserve(static_cast<size_t>(writes + end / (100 * kMs) * 3 + end / (200 * kMs)));
  std::vector<int64_t> last_seq(kWriters, -1);
  for (int64_t i = 0; i < writes; ++i) {
    Op w;
    w.process = static_cast<int>(i % kWriters);
    w.key = LedgerKey(w.process, i / kWriters);
    w.invoke_ns = i * step;
    w.complete_ns = w.invoke_ns + 600000 + (i % 7) * 50000;
    const bool down = w.invoke_ns >= kill && w.invoke_ns < back;
    w.outcome = !down ? Outcome::kOk : i % 3 == 0 ? Outcome::kInfo : Outcome::kFail;
    if (down) w.error = "connection refused";
    w.server = w.invoke_ns < kill ? "10.0.0.1" : "10.0.0.2";
    w.timeline = w.invoke_ns < kill ? 1 : 2;
    if (w.outcome == Outcome::kOk) {
      w.server_at_ns = w.complete_ns - 300000;
      const bool lost = w.invoke_ns >= kill - 1000 * kMs && i % 250 == 0 && i / 250 % 10 < 2;
      if (!lost) h.final_keys.insert(w.key);
    }
    h.ops.push_back(std::move(w));
  }
  for (int64_t t = 0; t < end; t += 200 * kMs) {
    Op r;
    r.type = OpType::kRead;
    r.invoke_ns = t;
    r.complete_ns = t + kMs;
    r.server = t / (200 * kMs) % 5 == 0 ? "10.0.0.1" : "10.0.0.3";
    const int64_t seen_up_to = std::min(t, kill) - (t / (200 * kMs) % 10 == 0 ? 300 * kMs : 0);
    for (int w = 0; w < kWriters; ++w) r.seen.push_back(std::max<int64_t>(-1, seen_up_to / step / kWriters - 1));
    h.ops.push_back(std::move(r));
  }
  for (int64_t t = 0; t < end; t += 100 * kMs)
    for (int n = 0; n < 3; ++n) {
      Op p;
      p.type = OpType::kProbe;
      p.process = n;
      p.node = "node" + std::to_string(n + 1);
      p.key = (int64_t{1} << 40) + (int64_t{n} << 32) + t / (100 * kMs);
      p.invoke_ns = t;
      p.complete_ns = t + kMs;
      const bool writable = (n == 0 && t < back + 1000 * kMs) || (n == 1 && t >= back);
      p.outcome = writable ? Outcome::kOk : Outcome::kFail;
      h.ops.push_back(std::move(p));
    }
  for (int64_t t = 0; t < end; t += 250 * kMs) {
    ObserverSample s;
    s.t_ns = t;
    s.reachable = s.router_reachable = true;
    s.leader = t < kill ? "node1" : t < back - 500 * kMs ? "" : "node2";
    if (!s.leader.empty()) s.router_write_targets = {s.leader};
    s.members = {{"node1", t < kill ? "leader" : "replica", t < kill || t > back + 5000 * kMs ? "running" : "stopped",
                  "10.0.0.1", t < kill ? 1 : 2, 0},
                 {"node2", t < back ? "replica" : "leader", "running", "10.0.0.2", t < kill ? 1 : 2, 0},
                 {"node3", "replica", "running", "10.0.0.3", t < kill ? 1 : 2, 0}};
    h.observer.push_back(std::move(s));
  }
  h.journal = {{kill, JournalAction::kInject, "kill", "kill", "node1", "SIGKILL patroni, postgres"},
               {back + 3000 * kMs, JournalAction::kHeal, "kill", "kill", "node1", ""}};
  return h;
}

}  // namespace pgha::testing
