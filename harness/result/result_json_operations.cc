// result.json's "operations": each planned operation's window and what
// clients saw in it, with the steady state it is held against
// (check/measurements.h OperationWindow).
#include "result/result_json.h"

namespace pgha {
using json = nlohmann::json;

json OperationsToJson(const Measurements& m) {
  json list = json::array();
  for (const auto& w : m.operations)
    list.push_back({{"id", w.id},
                    {"kind", w.kind},
                    {"target", w.target},
                    {"detail", w.detail},
                    {"start_s", w.start_s},
                    {"end_s", w.end_s},
                    {"writes", {{"ok", w.writes_ok}, {"fail", w.writes_failed}, {"info", w.writes_info}}},
                    {"write_gap_s", w.write_gap_s},
                    {"writes_resumed", w.writes_resumed},
                    {"latency_p99_ms", OptionalNumber(w.latency_p99_ms)},
                    {"latency_max_ms", OptionalNumber(w.latency_max_ms)},
                    {"read_only_refusals", w.read_only_refusals},
                    {"stale_window_s", w.stale_window_s},
                    {"reads_failed", w.reads_failed},
                    {"reads_off_promise", w.reads_off_promise},
                    {"off_promise_window_s", w.off_promise_window_s}});
  return {{"windows", list},
          {"steady_latency_p99_ms", OptionalNumber(m.steady_latency_p99_ms)},
          {"steady_latency_max_ms", OptionalNumber(m.steady_latency_max_ms)},
          {"paused_failovers", m.paused_failovers},
          {"paused_observed", m.paused_observed}};
}

void OperationsFromJson(const json& j, Measurements* m) {
  if (!j.is_object()) return;
  m->steady_latency_p99_ms = OptionalNumberFrom(j, "steady_latency_p99_ms");
  m->steady_latency_max_ms = OptionalNumberFrom(j, "steady_latency_max_ms");
  m->paused_failovers = j.value("paused_failovers", 0);
  m->paused_observed = j.value("paused_observed", false);
  for (const auto& o : j.value("windows", json::array())) {
    OperationWindow w;
    w.id = o.value("id", ""), w.kind = o.value("kind", ""), w.target = o.value("target", "");
    w.detail = o.value("detail", "");
    w.start_s = o.value("start_s", 0.0), w.end_s = o.value("end_s", 0.0);
    const json writes = o.value("writes", json::object());
    w.writes_ok = writes.value("ok", int64_t{0}), w.writes_failed = writes.value("fail", int64_t{0});
    w.writes_info = writes.value("info", int64_t{0});
    w.write_gap_s = o.value("write_gap_s", 0.0), w.writes_resumed = o.value("writes_resumed", true);
    w.latency_p99_ms = OptionalNumberFrom(o, "latency_p99_ms"),
    w.latency_max_ms = OptionalNumberFrom(o, "latency_max_ms");
    w.read_only_refusals = o.value("read_only_refusals", int64_t{0});
    w.stale_window_s = o.value("stale_window_s", 0.0), w.reads_failed = o.value("reads_failed", int64_t{0});
    w.reads_off_promise = o.value("reads_off_promise", int64_t{0});
    w.off_promise_window_s = o.value("off_promise_window_s", 0.0);
    m->operations.push_back(std::move(w));
  }
}

}  // namespace pgha
