#include "faults/fault_type.h"

#include "core/files.h"

namespace pgha {

std::string FaultEnv::Helper() const { return helper.empty() ? ThisProgram() : helper; }

Status FaultUndo::Run(FaultEnv& env) {
  Status result;
  while (!steps_.empty()) {
    Step step = std::move(steps_.back());
    steps_.pop_back();
    if (Status s = step(env); !s.ok() && result.ok()) result = s;
  }
  return result;
}

Injection ForEachHost(FaultEnv& env, const ResolvedFault& f,
                      const std::function<Status(const HostPlan& host, Injection* in)>& each) {
  Injection in;
  for (const auto& name : f.hosts) {
    const HostPlan* host = env.plan.Find(name);
    in.status = host ? each(*host, &in) : Failed("unknown host " + name);
    if (!in.status.ok()) break;
  }
  return in;
}

std::string FaultType::Misfit(const Topology&, const FaultSpec&, const std::vector<const HostSpec*>&) const {
  return "";
}

Status FaultType::Resolve(const TargetResolver& resolve, const ClusterPlan&, const FaultSpec& f,
                          ResolvedFault* out) const {
  out->spec = f;
  if (!f.has_target) return Status::Ok();
  auto hosts = resolve(f.target);
  if (!hosts.ok()) return hosts.status();
  out->hosts = *hosts;
  return Status::Ok();
}

std::string FaultType::WhyNot(FaultEnv& env, const ResolvedFault& f) const {
  for (const auto& host : f.hosts)
    if (!env.plan.Find(host)) return "unknown host " + host;
  return "";
}

}  // namespace pgha
