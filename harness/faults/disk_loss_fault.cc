// disk_loss: the host's PostgreSQL data directory is removed while
// PostgreSQL runs; heal asks Patroni to reinitialize the member.
#include <fmt/format.h>

#include <algorithm>

#include "faults/fault_type.h"
#include "services/targets.h"

namespace pgha {
namespace {

class DiskLoss : public FaultType {
 public:
  std::string Name() const override { return "disk_loss"; }
  std::string Summary() const override { return "the data directory is removed; heal reinitializes the member"; }
  std::shared_ptr<const FaultParams> Read(FaultReadContext&) const override { return std::make_shared<FaultParams>(); }
  std::string Misfit(const Topology& t, const FaultSpec& f, const std::vector<const HostSpec*>& c) const override {
    if (c.empty() || std::any_of(c.begin(), c.end(), [](const HostSpec* h) { return h->Runs("patroni"); })) return "";
    return fmt::format("disk_loss removes PostgreSQL's data directory, and {} runs no PostgreSQL in topology {}",
                       f.target.ToString(), t.name);
  }
  Injection Inject(FaultEnv& env, const ResolvedFault& f) const override {
    return ForEachHost(env, f, [&](const HostPlan& host, Injection* in) {
      in->undo.Add([name = host.name](FaultEnv& e) {
        const HostPlan* h = e.plan.Find(name);
        if (!h) return Status::Ok();
        auto r = e.http.Request("POST", PatroniApi(e.plan, *h), "/reinitialize", R"({"force": true})",
                                std::chrono::seconds(5));
        if (!r.ok() || r->status >= 300) return Failed("Patroni refused to reinitialize " + name);
        return Status::Ok();
      });
      auto removed = env.provider.Files().RemoveTree(host, PostgresDataDir(host));
      if (!removed.ok()) return removed.status().WithContext("removing the data directory of " + host.name);
      in->detail += fmt::format("removed {} files of {}'s data directory; ", *removed, host.name);
      return Status::Ok();
    });
  }
};

}  // namespace

const FaultType* DiskLossFault() {
  static const DiskLoss kType;
  return &kType;
}

}  // namespace pgha
