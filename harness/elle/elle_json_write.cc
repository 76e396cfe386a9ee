// WriteElleHistory, CheckResultToJson, CheckResultText (elle_json.h).
#include <fmt/format.h>

#include <algorithm>

#include "elle/elle_json.h"
#include "elle/version_orders.h"

namespace pgha::elle {
namespace {

using nlohmann::json;

json KeyJson(const ListAppendHistory& h, int64_t key) {
  if (key < 0) return h.KeyName(key);
  return key;
}

json MopsJson(const ListAppendHistory& h, const Txn& t, bool with_reads) {
  json out = json::array();
  for (uint16_t i = 0; i < t.mop_count; ++i) {
    const Mop& m = h.MopsOf(t)[i];
    if (m.append) {
      out.push_back({"append", KeyJson(h, m.key), m.element});
    } else if (with_reads && m.read_known) {
      out.push_back({"r", KeyJson(h, m.key), std::vector<int64_t>(h.ReadOf(m), h.ReadOf(m) + m.read_len)});
    } else {
      out.push_back({"r", KeyJson(h, m.key), nullptr});
    }
  }
  return out;
}

}  // namespace

void WriteElleHistory(const ListAppendHistory& h, std::ostream& out) {
  out << "[";
  int64_t index = 0;
  for (const TxnEvent& e : EventOrder(h)) {
    const Txn& t = h.txns[e.txn];
    json j = {{"index", index},
              {"process", t.process},
              {"type", e.complete ? OutcomeWord(t.outcome) : "invoke"},
              {"f", "txn"},
              {"value", MopsJson(h, t, e.complete && t.outcome == TxnOutcome::kOk)}};
    if (e.at != kNever) j["time"] = e.at;
    if (t.server >= 0 && static_cast<size_t>(t.server) < h.servers.size()) j["node"] = h.servers[t.server];
    if (t.timeline >= 0) j["timeline"] = t.timeline;
    if (e.complete && t.error >= 0 && static_cast<size_t>(t.error) < h.errors.size()) j["error"] = h.errors[t.error];
    out << (index++ ? ",\n " : "") << j.dump();
  }
  out << "]\n";
}

json CheckResultToJson(const ListAppendHistory& h, const CheckResult& r) {
  json anomalies = json::object();
  for (const auto& [type, list] : r.anomalies) {
    json items = json::array();
    for (const Anomaly& a : list) {
      json txns = json::array();
      for (uint32_t t : a.txns)
        txns.push_back({{"name", TxnName(h, t)},
                        {"process", h.txns[t].process},
                        {"type", OutcomeWord(h.txns[t].outcome)},
                        {"value", MopsJson(h, h.txns[t], true)}});
      items.push_back({{"type", type}, {"explanation", a.explanation}, {"txns", txns}});
    }
    anomalies[type] = items;
  }
  json out = CheckResultSummaryJson(r);
  out["anomalies"] = anomalies;  // with each transaction's name and values
  out.erase("input_error");
  if (!r.input_error.empty()) out["error"] = r.input_error;
  return out;
}

json CheckResultSummaryJson(const CheckResult& r) {
  json anomalies = json::object();
  for (const auto& [type, list] : r.anomalies) {
    json items = json::array();
    for (const Anomaly& a : list) items.push_back({{"explanation", a.explanation}, {"txns", a.txns}});
    anomalies[type] = items;
  }
  json types = json::array();
  for (const auto& [type, n] : r.counts) types.push_back(type);
  return {{"valid", r.valid},
          {"anomaly_types", types},
          {"counts", r.counts},
          {"anomalies", anomalies},
          {"not", r.not_models},
          {"also_not", r.also_not_models},
          {"txns", r.txns},
          {"ok", r.ok},
          {"failed", r.failed},
          {"indeterminate", r.indeterminate},
          {"edges", r.edges},
          {"cyclic_components", r.components},
          {"search_exhausted", r.search_exhausted},
          {"input_error", r.input_error},
          {"failure_reasons", r.failure_reasons}};
}

CheckResult CheckResultFromSummaryJson(const json& j) {
  CheckResult r;
  r.valid = j.value("valid", true);
  r.counts = j.value("counts", std::map<std::string, int64_t>{});
  for (const auto& [type, items] : j.value("anomalies", json::object()).items())
    for (const auto& a : items)
      r.anomalies[type].push_back({type, a.value("explanation", ""), a.value("txns", std::vector<uint32_t>{})});
  r.not_models = j.value("not", std::vector<std::string>{});
  r.also_not_models = j.value("also_not", std::vector<std::string>{});
  r.txns = j.value("txns", int64_t{0});
  r.ok = j.value("ok", int64_t{0});
  r.failed = j.value("failed", int64_t{0});
  r.indeterminate = j.value("indeterminate", int64_t{0});
  r.edges = j.value("edges", int64_t{0});
  r.components = j.value("cyclic_components", int64_t{0});
  r.search_exhausted = j.value("search_exhausted", false);
  r.input_error = j.value("input_error", "");
  r.failure_reasons = j.value("failure_reasons", std::map<std::string, int64_t>{});
  return r;
}

std::string CheckResultText(const ListAppendHistory& h, const CheckResult& r) {
  (void)h;
  std::string out = fmt::format("{} transactions ({} ok, {} failed, {} indeterminate), {} dependency edges\n", r.txns,
                                r.ok, r.failed, r.indeterminate, r.edges);
  if (r.valid) return out + "valid: no anomaly found\n";
  for (const auto& [type, n] : r.counts) {
    out += fmt::format("\n{}: {}\n", type, n);
    for (const Anomaly& a : r.anomalies.at(type)) {
      std::string text = "  " + a.explanation;
      for (size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 1))
        text.insert(at + 1, "  ");
      out += text + "\n";
    }
    if (n > static_cast<int64_t>(r.anomalies.at(type).size()))
      out += fmt::format("  ... and {} more\n", n - static_cast<int64_t>(r.anomalies.at(type).size()));
  }
  out += "\nruled out: " + fmt::format("{}", fmt::join(r.not_models, ", "));
  if (!r.also_not_models.empty()) out += fmt::format(" (and so {})", fmt::join(r.also_not_models, ", "));
  if (r.search_exhausted) out += "\nthe cycle search ran out of its budget: some cycles may be unreported";
  return out + "\n";
}

}  // namespace pgha::elle
