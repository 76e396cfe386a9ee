#include "faults/fault_injector.h"

#include <fmt/format.h>

#include <algorithm>

#include "cluster/service_control.h"
#include "core/text.h"
#include "services/registry.h"
#include "services/watchdog.h"

namespace pgha {
namespace {

enum class Family { kProcess, kNetwork, kDisk };

Family FamilyOf(FaultKind k) {
  switch (k) {
    case FaultKind::kKill:
    case FaultKind::kStop:
    case FaultKind::kPause: return Family::kProcess;
    case FaultKind::kDiskLoss:
    case FaultKind::kDiskFull: return Family::kDisk;
    default: return Family::kNetwork;
  }
}

}  // namespace

std::string FaultInjector::Check(const ResolvedFault& f) {
  for (const auto& host : f.hosts)
    if (!env_.plan.Find(host)) return "unknown host " + host;
  switch (FamilyOf(f.spec.kind)) {
    case Family::kProcess: return "";
    case Family::kNetwork: return CheckNetworkFault(env_, f);
    case Family::kDisk: return CheckDiskFault(env_, f);
  }
  return "";
}

Result<std::string> FaultInjector::Inject(const ResolvedFault& f) {
  ActiveFault a;
  a.fault = f;
  Result<std::string> done = Failed("unknown fault family");
  switch (FamilyOf(f.spec.kind)) {
    case Family::kProcess: done = InjectProcessFault(env_, f, &a); break;
    case Family::kNetwork: done = InjectNetworkFault(env_, f, &a); break;
    case Family::kDisk: done = InjectDiskFault(env_, f, &a); break;
  }
  // Even a fault that failed halfway is active: heal undoes what was applied.
  active_[f.spec.id] = a;
  order_.push_back(f.spec.id);
  if (!done.ok()) return done.status();
  std::string detail = *done;
  while (detail.size() >= 2 && detail.substr(detail.size() - 2) == "; ") detail.resize(detail.size() - 2);
  return detail;
}

Status FaultInjector::Heal(const std::string& id) {
  auto it = active_.find(id);
  if (it == active_.end()) return Status::Ok();  // healed already, or never applied
  ActiveFault& a = it->second;
  Status result = HealNetworkFault(env_, a);
  if (Status s = HealProcessFault(env_, a); !s.ok()) result = s;
  if (Status s = HealDiskFault(env_, a); !s.ok()) result = s;
  active_.erase(it);
  order_.erase(std::remove(order_.begin(), order_.end(), id), order_.end());
  if (Status s = RebootFencedHosts(env_); !s.ok()) result = s;
  return result;
}

Status FaultInjector::HealAll() {
  Status result;
  while (!order_.empty()) {
    Status s = Heal(order_.back());
    if (!s.ok()) result = s;
  }
  if (Status s = RebootFencedHosts(env_); !s.ok()) result = s;
  return result;
}

Status RebootFencedHosts(FaultEnv& env) {
  Status result;
  for (const auto& h : env.plan.hosts) {
    if (!h.Runs("watchdog")) continue;
    auto marker = env.provider.Files().ReadFile(h, WatchdogMarker(h));
    if (!marker.ok() || marker->empty()) continue;
    env.provider.Files().RemoveFile(h, WatchdogMarker(h));
    std::vector<std::string> started;
    for (const Service* s : AllServices()) {
      if (!h.Runs(s->Kind())) continue;
      if (env.provider.Services().Running(h, s->Kind(), env.manifest)) continue;
      if (Status st = env.restart(h, s->Kind()); !st.ok())
        result = st;
      else
        started.push_back(s->Kind());
    }
    std::string what = *marker;
    while (!what.empty() && what.back() == '\n') what.pop_back();
    if (env.note) env.note(h.name, fmt::format("{} (watchdog); rebooted: started {}", what, Join(started)));
  }
  return result;
}

std::vector<std::string> FaultInjector::ActiveIds() const { return order_; }

}  // namespace pgha
