#include "check/durability_promise.h"

#include <algorithm>
#include <set>

namespace pgha {

DurabilityPromise PromiseFor(const PowerCutCase& c) {
  if (c.etcd_only)
    return {true, "etcd acknowledges a write once a majority fsynced it, so one member's cut loses nothing"};
  const std::string& level = c.synchronous_commit;
  if (level == "off") return {false, "the commit returns before its WAL is flushed"};
  if (!c.synchronous_mode)
    return {false, "without a synchronous standby a promoted replica lacks what it had not received"};
  if (level == "local") return {false, "the commit waits for no standby"};
  if (level == "remote_write")
    return c.standby_too ? DurabilityPromise{false, "the standby had written the commit to its OS, not flushed it"}
                         : DurabilityPromise{true, "the standby's OS kept what it had written"};
  if (level == "on" || level == "remote_apply") return {true, "the synchronous standby flushed every commit"};
  return {false, "synchronous_commit " + level + " is not a level PostgreSQL documents"};
}

std::string DurabilityVerdict(const DurabilityPromise& p, size_t lost) {
  if (p.no_loss) return lost == 0 ? "kept" : "BROKEN";
  return lost == 0 ? "none lost (not promised)" : "lost, as documented";
}

std::optional<PowerCutCase> PowerCutOf(const std::vector<std::string>& steps, const std::string& synchronous_commit,
                                       bool synchronous_mode) {
  std::set<std::string> targets;
  for (const auto& step : steps) {
    if (step.rfind("power_loss", 0) != 0 && step.rfind("torn_write", 0) != 0) continue;
    const auto on = step.find(" on ");
    std::string rest = on == std::string::npos ? "" : step.substr(on + 4);
    for (size_t plus; (plus = rest.find('+')) != std::string::npos; rest = rest.substr(plus + 1))
      targets.insert(rest.substr(0, plus));
    targets.insert(rest);
  }
  if (targets.empty()) return std::nullopt;
  PowerCutCase c;
  c.synchronous_commit = synchronous_commit.empty() ? "on" : synchronous_commit;
  c.synchronous_mode = synchronous_mode;
  c.etcd_only =
      std::all_of(targets.begin(), targets.end(), [](const std::string& t) { return t.rfind("etcd", 0) == 0; });
  c.standby_too = !c.etcd_only && targets.size() > 1;
  return c;
}

}  // namespace pgha
