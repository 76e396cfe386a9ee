#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"
#include "core/units.h"
#include "faults/durable_faults.h"

namespace pgha {

std::string ReadDiskOps(FaultReadContext& r, const std::string& fallback) {
  if (!r.map.Has("ops")) return fallback;
  std::vector<std::string> ops;
  r.map.StringList("ops", &ops);
  for (const auto& op : ops)
    if (op != "read" && op != "write" && op != "fsync")
      r.map.ErrorAt(*r.map.Node("ops"), fmt::format("unknown operation \"{}\"; ops are read, write and fsync", op));
  if (ops.empty()) r.map.ErrorAt(*r.map.Node("ops"), "ops is empty: name read, write or fsync");
  return Join(ops, ",");
}

double ReadShare(FaultReadContext& r, const std::string& key, double fallback) {
  auto n = r.map.Node(key);
  if (!n) return fallback;
  const std::string s = n->IsScalar() ? n->Scalar() : "";
  const double pct = s.size() > 1 && s.back() == '%' ? ParseNumber(s.substr(0, s.size() - 1)).value_or(-1) : -1;
  if (pct <= 0 || pct > 100) {
    r.map.ErrorAt(*n, fmt::format("{} must be a percentage above 0 and at most 100, e.g. 10%, got \"{}\"", key, s));
    return fallback;
  }
  return pct / 100;
}

Injection DiskSwitchFault::Inject(FaultEnv& env, const ResolvedFault& f) const {
  const ControlRequest on = On(f.spec);
  return ForEachHost(env, f, [&](const HostPlan& host, Injection* in) {
    if (env.dry_run) {
      in->detail += fmt::format("would send \"{}\" to {}'s disk; ", on.Format(), host.name);
      return Status::Ok();
    }
    auto before = DurableControl(host, {"mark", {}});
    if (!before.ok()) return before.status();
    const std::string name = host.name, id = f.spec.id;
    in->undo.Add([this, name, id](FaultEnv& e) {
      const HostPlan* h = e.plan.Find(name);
      if (!h) return Status::Ok();
      auto off = DurableControl(*h, Off());
      if (!off.ok()) return off.status();
      auto during = DurableControl(*h, {"stats", {}});
      if (during.ok() && e.remark) e.remark({"note", id, name, "", Effect(*during)});
      return during.status();
    });
    auto done = DurableControl(host, on);
    if (!done.ok()) return done.status();
    in->detail += fmt::format("{}'s disk: {} (before: {}); ", host.name, on.Format(), FsyncFigures(*before));
    Measure(env, host, f.spec, *before, in);
    return Status::Ok();
  });
}

}  // namespace pgha
