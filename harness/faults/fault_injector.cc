#include "faults/fault_injector.h"

#include <fmt/format.h>

#include <algorithm>

#include "cluster/service_control.h"
#include "core/text.h"
#include "faults/registry.h"
#include "services/registry.h"
#include "services/watchdog.h"

namespace pgha {

std::string FaultInjector::Check(const ResolvedFault& f) {
  const FaultType* type = FindFaultType(f.spec.kind);
  if (!type) return "unknown fault kind " + f.spec.kind;
  return type->WhyNot(env_, f);
}

Result<std::string> FaultInjector::Inject(const ResolvedFault& f, std::vector<FaultEffect>* effects) {
  const FaultType* type = FindFaultType(f.spec.kind);
  if (!type) return Failed("unknown fault kind " + f.spec.kind);
  Injection in = type->Inject(env_, f);
  // Even a fault that failed halfway is active: heal undoes what was applied.
  active_[f.spec.id] = std::move(in.undo);
  order_.erase(std::remove(order_.begin(), order_.end(), f.spec.id), order_.end());
  order_.push_back(f.spec.id);
  if (effects) effects->insert(effects->end(), in.effects.begin(), in.effects.end());
  if (!in.status.ok()) return in.status;
  std::string detail = in.detail;
  while (detail.size() >= 2 && detail.substr(detail.size() - 2) == "; ") detail.resize(detail.size() - 2);
  return detail;
}

Status FaultInjector::Heal(const std::string& id) {
  auto it = active_.find(id);
  if (it == active_.end()) return Status::Ok();  // healed already, or never applied
  FaultUndo undo = std::move(it->second);
  active_.erase(it);
  order_.erase(std::remove(order_.begin(), order_.end(), id), order_.end());
  Status result = undo.Run(env_);
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
