// disk_full: the host's data volume is filled with a ballast file until
// ENOSPC; heal deletes it. Needs a data volume of a set size.
#include <fmt/format.h>

#include "faults/fault_type.h"
#include "services/targets.h"

namespace pgha {
namespace {

class DiskFull : public FaultType {
 public:
  std::string Name() const override { return "disk_full"; }
  std::string Summary() const override { return "the data volume fills up (needs data_volume); heal frees it"; }
  std::shared_ptr<const FaultParams> Read(FaultReadContext& r) const override {
    if (r.topology.data_volume == 0)
      r.map.ErrorAt(r.map.Node("fault").value_or(YAML::Node()),
                    "disk_full fills the data directory's filesystem, so it needs one of a set size: add data_volume: "
                    "512MiB to the scenario");
    return std::make_shared<FaultParams>();
  }
  std::string WhyNot(FaultEnv& env, const ResolvedFault& f) const override {
    if (std::string why = FaultType::WhyNot(env, f); !why.empty()) return why;
    for (const auto& host : f.hosts) {
      const HostPlan* h = env.plan.Find(host);
      if (h->data_volume == 0 && h->data_dir.empty())
        return host + " has no data volume of a set size (add data_volume to the scenario)";
    }
    return "";
  }
  Injection Inject(FaultEnv& env, const ResolvedFault& f) const override {
    return ForEachHost(env, f, [&](const HostPlan& host, Injection* in) {
      const std::string ballast = DataVolumeDir(host) + "/pgha-ballast";
      in->undo.Add([name = host.name, ballast](FaultEnv& e) {
        const HostPlan* h = e.plan.Find(name);
        return h ? e.provider.Files().RemoveFile(*h, ballast) : Status::Ok();
      });
      auto filled = env.provider.Files().FillFilesystem(host, ballast, env.manifest);
      if (!filled.ok()) return filled.status();
      in->detail += fmt::format("filled {}'s data volume with {} MiB; ", host.name, *filled / (1024 * 1024));
      return Status::Ok();
    });
  }
};

}  // namespace

const FaultType* DiskFullFault() {
  static const DiskFull kType;
  return &kType;
}

}  // namespace pgha
