// Each planned operation's window and what clients saw in it
// (measurements.h: OperationWindow). Pure; linear in the writes per window.
#include <algorithm>
#include <map>
#include <set>

#include "check/measurements.h"
#include "check/op_index.h"

namespace pgha {
namespace {

// Patroni's operations that run as steps of their own and are journaled as injections.
const std::set<std::string> kPatroniOperations = {"switchover", "failover", "restart", "reinitialize"};

bool IsOperation(const JournalEntry& e) {
  return e.action == JournalAction::kOperation ||
         (e.action == JournalAction::kInject && kPatroniOperations.count(e.kind));
}

bool EndsWindow(const JournalEntry& e) {
  return e.action == JournalAction::kInject || e.action == JournalAction::kOperation ||
         e.action == JournalAction::kHeal || e.action == JournalAction::kConverged;
}

// The server refused the write as read-only (SQLSTATE 25006), or the
// workload found it in recovery before writing (workload.cc: "connected,
// but not to a primary"): either way the client was on a node that is not
// the primary.
bool ReadOnlyRefusal(const Op& w) {
  if (w.outcome != Outcome::kFail) return false;
  const std::string& e = w.error.str();
  return e.find("read-only transaction") != std::string::npos || e.find("not to a primary") != std::string::npos;
}

struct Latencies {
  std::optional<double> p99_ms, max_ms;
};

Latencies Of(std::vector<double> ms) {
  if (ms.empty()) return {};
  std::sort(ms.begin(), ms.end());
  const size_t k = std::min(ms.size() - 1, static_cast<size_t>(0.99 * static_cast<double>(ms.size() - 1) + 0.5));
  return {ms[k], ms.back()};
}

// The longest stretch inside [start, end] without an acknowledgement
// (completion times, sorted): between two of them, from `start` to the
// first, or from the last to `end`.
double WriteGap(const std::vector<int64_t>& acks, int64_t start, int64_t end, bool* resumed) {
  auto it = std::upper_bound(acks.begin(), acks.end(), start);
  int64_t prev = start;
  int64_t gap = 0;
  *resumed = false;
  for (; it != acks.end() && *it <= end; ++it) {
    gap = std::max(gap, *it - prev);
    prev = *it;
    *resumed = true;
  }
  gap = std::max(gap, end - prev);
  return SecondsOfNs(gap);
}

// Which node a read-only read may not be served by at a moment: the
// leader (the endpoint promises a replica), or a member tagged
// noloadbalance (a replica taken out of it, journaled by the tags operation).
class ReadPromise {
 public:
  ReadPromise(const History& h, const OpsByKind& ops) : node_of_(NodeOfAddress(h, ops)), samples_(&h.observer) {
    for (const auto& e : h.journal) {
      if (e.action != JournalAction::kOperation || e.kind != "tags") continue;
      const bool on = e.detail.find("noloadbalance=true") != std::string::npos;
      if (!on && e.detail.find("noloadbalance=false") == std::string::npos) continue;
      size_t from = 0;
      while (from <= e.target.size()) {
        const size_t comma = std::min(e.target.find(',', from), e.target.size());
        removed_[e.target.substr(from, comma - from)].push_back({e.t_ns, on});
        from = comma + 1;
      }
    }
  }
  // Whether the node that served `read` was one the endpoint did not promise when it was sent.
  bool Broken(const Op& read) const {
    auto it = node_of_.find(read.server);
    if (it == node_of_.end()) return false;
    const std::string& node = it->second;
    auto r = removed_.find(node);
    if (r != removed_.end()) {
      bool on = false;
      for (const auto& [t, state] : r->second)
        if (t <= read.invoke_ns) on = state;
      if (on) return true;
    }
    auto s = std::upper_bound(samples_->begin(), samples_->end(), read.invoke_ns,
                              [](int64_t t, const ObserverSample& x) { return t < x.t_ns; });
    return s != samples_->begin() && (s - 1)->reachable && (s - 1)->leader == node;
  }

 private:
  std::map<std::string, std::string> node_of_;
  const std::vector<ObserverSample>* samples_;
  std::map<std::string, std::vector<std::pair<int64_t, bool>>> removed_;
};

void MeasureReads(const OpsByKind& ops, const ReadPromise& promise, int64_t start, int64_t end, OperationWindow* w) {
  int64_t first = -1, last = -1;
  for (const Op* r : ops.reads) {
    if (r->invoke_ns < start || r->invoke_ns >= end) continue;
    if (r->outcome != Outcome::kOk) {
      ++w->reads_failed;
    } else if (promise.Broken(*r)) {
      ++w->reads_off_promise;
      if (first < 0) first = r->invoke_ns;
      last = std::max(last, r->complete_ns);
    }
  }
  if (first >= 0) w->off_promise_window_s = SecondsOfNs(last - first);
}

void Measure(const OpsByKind& ops, const std::vector<int64_t>& acks, int64_t start, int64_t end, OperationWindow* w) {
  std::vector<double> latency;
  int64_t first_refusal = -1, last_refusal = -1;
  for (const Op* op : ops.writes) {
    if (op->invoke_ns < start || op->invoke_ns >= end) continue;
    if (op->outcome == Outcome::kOk) {
      ++w->writes_ok;
      latency.push_back(SecondsOfNs(op->complete_ns - op->invoke_ns) * 1000);
    } else {
      ++(op->outcome == Outcome::kFail ? w->writes_failed : w->writes_info);
    }
    if (ReadOnlyRefusal(*op)) {
      ++w->read_only_refusals;
      if (first_refusal < 0) first_refusal = op->invoke_ns;
      last_refusal = std::max(last_refusal, op->complete_ns);
    }
  }
  const Latencies l = Of(std::move(latency));
  w->latency_p99_ms = l.p99_ms;
  w->latency_max_ms = l.max_ms;
  if (first_refusal >= 0) w->stale_window_s = SecondsOfNs(last_refusal - first_refusal);
  w->write_gap_s = WriteGap(acks, start, end, &w->writes_resumed);
}

// Within each stretch of paused samples, each change to a leader other
// than the last one seen (none is no leader: the key expired, nobody took it).
int PausedFailovers(const std::vector<ObserverSample>& samples) {
  int count = 0;
  std::string leader;
  bool paused = false;
  for (const auto& s : samples) {
    if (!s.reachable) continue;
    if (s.paused && paused && !s.leader.empty() && !leader.empty() && s.leader != leader) ++count;
    paused = s.paused;
    if (!s.leader.empty()) leader = s.leader;
  }
  return count;
}

}  // namespace

void AnalyzeOperations(const History& h, const OpsByKind& ops, Measurements* m) {
  std::vector<int64_t> acks;
  for (const Op* op : ops.writes)
    if (op->outcome == Outcome::kOk) acks.push_back(op->complete_ns);
  std::sort(acks.begin(), acks.end());
  int64_t first_disruption = h.end_ns;
  for (const auto& e : h.journal)
    if (e.action == JournalAction::kInject || e.action == JournalAction::kOperation)
      first_disruption = std::min(first_disruption, e.t_ns);
  // The steady state: the writes acknowledged before the first fault or
  // operation, less the clients' first second (their connections' set-up).
  std::vector<double> steady, warm_up;
  int64_t first_invoke = h.end_ns;
  for (const Op* op : ops.writes) first_invoke = std::min(first_invoke, op->invoke_ns);
  for (const Op* op : ops.writes)
    if (op->outcome == Outcome::kOk && op->complete_ns < first_disruption)
      (op->invoke_ns < first_invoke + 1000000000 ? warm_up : steady)
          .push_back(SecondsOfNs(op->complete_ns - op->invoke_ns) * 1000);
  if (steady.empty()) steady = std::move(warm_up);
  const Latencies s = Of(std::move(steady));
  m->steady_latency_p99_ms = s.p99_ms;
  m->steady_latency_max_ms = s.max_ms;
  const ReadPromise promise(h, ops);
  m->paused_failovers = PausedFailovers(h.observer);
  for (const auto& sample : h.observer) m->paused_observed |= sample.paused;
  for (size_t i = 0; i < h.journal.size(); ++i) {
    const JournalEntry& e = h.journal[i];
    if (!IsOperation(e)) continue;
    OperationWindow w;
    w.id = e.fault_id, w.kind = e.kind, w.target = e.target, w.detail = e.detail;
    int64_t end = h.end_ns;
    for (size_t j = i + 1; j < h.journal.size(); ++j)
      if (EndsWindow(h.journal[j]) && h.journal[j].t_ns >= e.t_ns) {
        end = h.journal[j].t_ns;
        break;
      }
    w.start_s = SecondsOfNs(e.t_ns);
    w.end_s = SecondsOfNs(std::max(end, e.t_ns));
    Measure(ops, acks, e.t_ns, std::max(end, e.t_ns), &w);
    MeasureReads(ops, promise, e.t_ns, std::max(end, e.t_ns), &w);
    m->operations.push_back(std::move(w));
  }
}

}  // namespace pgha
