#include "faults/fault_type.h"

#include <fmt/format.h>

#include <algorithm>

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

std::string ProcessesMisfit(const std::vector<std::string>& processes, const Topology& t, const FaultSpec& f,
                            const std::vector<const HostSpec*>& candidates) {
  if (candidates.empty()) return "";
  for (const auto& name : processes) {
    if (name == "host") continue;
    const std::string kind = name == "postgres" ? "patroni" : name;
    if (std::none_of(candidates.begin(), candidates.end(), [&](const HostSpec* h) { return h->Runs(kind); }))
      return fmt::format("{} runs no {} in topology {}: target a host that runs it", f.target.ToString(), name, t.name);
  }
  return "";
}

std::string FaultType::Misfit(const Topology&, const FaultSpec&, const std::vector<const HostSpec*>&) const {
  return "";
}

Status FaultType::Resolve(const TargetResolver& resolve, const ClusterPlan&, const FaultSpec& f,
                          ResolvedFault* out) const {
  out->spec = f;
  if (!f.has_target) return Status::Ok();
  std::vector<TargetSpec> targets = {f.target};
  targets.insert(targets.end(), f.more_targets.begin(), f.more_targets.end());
  for (const auto& target : targets) {
    auto hosts = resolve(target);
    if (!hosts.ok()) return hosts.status();
    for (const auto& h : *hosts)
      if (std::find(out->hosts.begin(), out->hosts.end(), h) == out->hosts.end()) out->hosts.push_back(h);
  }
  return Status::Ok();
}

std::string FaultType::WhyNot(FaultEnv& env, const ResolvedFault& f) const {
  for (const auto& host : f.hosts)
    if (!env.plan.Find(host)) return "unknown host " + host;
  return "";
}

}  // namespace pgha
