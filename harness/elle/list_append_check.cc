#include "elle/list_append_check.h"

#include <algorithm>
#include <set>

#include "elle/cycle_search.h"
#include "elle/dependency_graph.h"
#include "elle/version_orders.h"

namespace pgha::elle {
namespace {

void RuleOutModels(CheckResult& r) {
  std::set<std::string> weakest;
  for (const auto& [type, n] : r.counts)
    for (const auto& m : ModelsRuledOutBy(type)) weakest.insert(m);
  std::vector<std::string> all(weakest.begin(), weakest.end());
  const std::vector<std::string> stronger = StrongerModels(all);
  // "not" keeps only those no other ruled-out model is weaker than.
  for (const auto& m : all)
    if (std::find(stronger.begin(), stronger.end(), m) == stronger.end()) r.not_models.push_back(m);
  std::set<std::string> also(stronger.begin(), stronger.end());
  for (const auto& m : r.not_models) also.erase(m);
  r.also_not_models.assign(also.begin(), also.end());
}

}  // namespace

CheckResult CheckListAppend(const ListAppendHistory& h, const CheckOptions& options) {
  CheckResult r;
  r.txns = static_cast<int64_t>(h.txns.size());
  for (const Txn& t : h.txns) {
    (t.outcome == TxnOutcome::kOk ? r.ok : t.outcome == TxnOutcome::kFail ? r.failed : r.indeterminate)++;
    if (t.outcome != TxnOutcome::kOk)
      r.failure_reasons[t.error >= 0 && static_cast<size_t>(t.error) < h.errors.size() ? h.errors[t.error]
                                                                                       : "not recorded"]++;
  }
  const Report report = [&](const std::string& type, std::string explanation, std::vector<uint32_t> txns) {
    if (r.counts[type]++ < options.max_reported_per_type)
      r.anomalies[type].push_back({type, std::move(explanation), std::move(txns)});
  };
  ElementIndex index(h);
  if (!index.duplicate_append().empty()) {
    r.input_error = index.duplicate_append() + ": list-append needs every element appended to a key once";
    r.valid = false;
    return r;
  }
  VersionOrders orders = BuildVersionOrders(h, index, report);
  FindNonCycleAnomalies(h, index, orders, report);
  const DependencyGraph g = BuildDependencyGraph(
      h, index, orders, {options.process_edges, options.realtime_edges, options.max_unobserved_edges_per_key});
  r.edges = static_cast<int64_t>(g.Edges());
  const Components c = StronglyConnected(g);
  r.components = static_cast<int64_t>(c.cyclic.size());
  CycleSearcher search(h, index, g, c, options.search_budget);
  for (const auto& members : c.cyclic) {
    search.Search(c.of[members.front()], members, report);
    if (search.exhausted()) break;
  }
  r.search_exhausted = search.exhausted();
  r.valid = r.counts.empty() && !r.search_exhausted;
  RuleOutModels(r);
  return r;
}

}  // namespace pgha::elle
