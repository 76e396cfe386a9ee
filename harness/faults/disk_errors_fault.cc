// disk_errors: a share of the disk's operations fail with EIO
// (`share: 10%`, default all; `ops: [fsync]` for fsync only, PostgreSQL's
// fsync-failure PANIC). A failed fsync drops the file's unsynced data,
// as Linux does. Heal makes the disk answer again.
#include <fmt/format.h>

#include "faults/durable_faults.h"

namespace pgha {
namespace {

struct DiskErrorParams : FaultParams {
  double share = 1;
  std::string ops = "read,write,fsync";
  std::string Describe() const override { return fmt::format("{:g}% of {}", share * 100, ops); }
};

class DiskErrors : public DiskSwitchFault {
 public:
  std::string Name() const override { return "disk_errors"; }
  std::string Summary() const override { return "EIO on a share of disk operations (share, ops: read|write|fsync)"; }
  std::shared_ptr<const FaultParams> Read(FaultReadContext& r) const override {
    auto p = std::make_shared<DiskErrorParams>();
    p->share = ReadShare(r, "share", 1);
    p->ops = ReadDiskOps(r, p->ops);
    return p;
  }

 protected:
  ControlRequest On(const FaultSpec& f) const override {
    const auto* p = ParamsOf<DiskErrorParams>(f);
    return {"errors", {{"share", fmt::format("{:g}", p ? p->share : 1)}, {"ops", p ? p->ops : "fsync"}}};
  }
  ControlRequest Off() const override { return {"errors", {{"off", "1"}}}; }
  std::string Effect(const std::map<std::string, std::string>& s) const override {
    return fmt::format("{:.0f} operations failed with EIO; {:.0f} bytes of unsynced data dropped with failed fsyncs",
                       StatNumber(s, "eio"), StatNumber(s, "dropped_bytes"));
  }
};

}  // namespace

const FaultType* DiskErrorsFault() {
  static const DiskErrors kType;
  return &kType;
}

}  // namespace pgha
