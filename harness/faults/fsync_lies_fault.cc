// fsync_lies: the disk answers fsync at once and persists nothing (a
// volatile write cache that claims to be durable): what an application
// syncs stays as exposed to a power loss as what it never synced.
#include <fmt/format.h>

#include "faults/durable_faults.h"

namespace pgha {
namespace {

class FsyncLies : public DiskSwitchFault {
 public:
  std::string Name() const override { return "fsync_lies"; }
  std::string Summary() const override { return "fsync answers success and persists nothing (a volatile disk cache)"; }
  std::shared_ptr<const FaultParams> Read(FaultReadContext&) const override { return std::make_shared<FaultParams>(); }
  bool MayFailOver(const FaultSpec&) const override { return false; }

 protected:
  ControlRequest On(const FaultSpec&) const override { return {"lie", {{"on", "1"}}}; }
  ControlRequest Off() const override { return {"lie", {{"on", "0"}}}; }
  std::string Effect(const std::map<std::string, std::string>& s) const override {
    return fmt::format("{:.0f} fsyncs answered without persisting; {:.0f} bytes unsynced at heal",
                       StatNumber(s, "lies"), StatNumber(s, "dirty_bytes"));
  }
};

}  // namespace

const FaultType* FsyncLiesFault() {
  static const FsyncLies kType;
  return &kType;
}

}  // namespace pgha
