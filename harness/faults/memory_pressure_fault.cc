// memory_pressure: the named processes of a host (or all of it) may charge
// at most `memory` from the moment of the fault (their page cache and new
// allocations: this kernel cannot move what they already hold), so the
// kernel reclaims their memory and, past that, OOM-kills one of them; heal
// journals which of the two happened and lifts the limit. Not meant to
// fail over: a failover under it is a false one.
#include <fmt/format.h>

#include "faults/limit_faults.h"

namespace pgha {
namespace {

constexpr uint64_t kSmallestLimit = 4 << 20;

class MemoryPressure : public LimitFault {
 public:
  std::string Name() const override { return "memory_pressure"; }
  std::string Summary() const override {
    return "processes (or a whole host) may charge at most `memory` more: reclaim, then OOM kills; heal lifts it";
  }
  std::shared_ptr<const FaultParams> Read(FaultReadContext& r) const override {
    auto p = std::make_shared<LimitParams>();
    ReadLimitedProcesses(r, p.get());
    r.map.Require("memory");
    r.map.Size("memory", &p->limit.memory_bytes);
    if (auto node = r.map.Node("memory"); node && p->limit.memory_bytes > 0 && p->limit.memory_bytes < kSmallestLimit)
      r.map.ErrorAt(*node, "memory must be at least 4MiB (below that a process cannot even start a query)");
    return p;
  }
};

}  // namespace

const FaultType* MemoryPressureFault() {
  static const MemoryPressure kType;
  return &kType;
}

}  // namespace pgha
