#include "faults/registry.h"

#include <algorithm>

#include "core/text.h"

namespace pgha {

// Each defined in its own file of this folder; one line each.
#define PGHA_FAULT_TYPES(X) \
  X(KillFault)              \
  X(StopFault)              \
  X(PauseFault)             \
  X(IsolateFault)           \
  X(PartitionFault)         \
  X(OneWayFault)            \
  X(CutEtcdFault)           \
  X(PacketLossFault)        \
  X(LatencyFault)           \
  X(BandwidthFault)         \
  X(DiskLossFault)          \
  X(DiskFullFault)          \
  X(CpuThrottleFault)       \
  X(MemoryPressureFault)    \
  X(IoThrottleFault)        \
  X(ClockSkewFault)         \
  X(ClockJumpFault)         \
  X(ClockStrobeFault)       \
  X(PowerLossFault)         \
  X(TornWriteFault)         \
  X(FsyncLiesFault)         \
  X(DiskLatencyFault)       \
  X(DiskErrorsFault)

#define PGHA_DECLARE(name) const FaultType* name();
PGHA_FAULT_TYPES(PGHA_DECLARE)
#undef PGHA_DECLARE

namespace {

std::vector<const FaultType*>& Registered() {
  static std::vector<const FaultType*> all = {
#define PGHA_LIST(name) name(),
      PGHA_FAULT_TYPES(PGHA_LIST)
#undef PGHA_LIST
  };
  return all;
}

}  // namespace

const std::vector<const FaultType*>& AllFaultTypes() { return Registered(); }

const FaultType* FindFaultType(const std::string& name) {
  for (const FaultType* t : Registered())
    if (t->Name() == name) return t;
  return nullptr;
}

std::string FaultTypeNames() {
  std::vector<std::string> names;
  for (const FaultType* t : Registered()) names.push_back(t->Name());
  std::sort(names.begin(), names.end());
  return Join(names);
}

std::string FailoverExpectedBy(const std::vector<Step>& steps) {
  for (const auto& step : steps) {
    if (step.kind == StepKind::kSwitchover || step.kind == StepKind::kFailover) return step.Describe();
    if (step.kind != StepKind::kFault) continue;
    const FaultType* t = FindFaultType(step.fault.kind);
    if (!t || t->MayFailOver(step.fault)) return step.fault.kind + " " + step.fault.id;
  }
  return "";
}

std::vector<std::string> MovedClocks(const std::vector<Step>& steps) {
  std::vector<std::string> out;
  for (const auto& step : steps) {
    const FaultType* t = step.kind == StepKind::kFault ? FindFaultType(step.fault.kind) : nullptr;
    for (const auto& p : t ? t->MovesClocks(step.fault) : std::vector<std::string>{})
      if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
  }
  return out;
}

ScopedFaultType::ScopedFaultType(const FaultType* type) : type_(type) { Registered().push_back(type); }

ScopedFaultType::~ScopedFaultType() {
  auto& all = Registered();
  all.erase(std::remove(all.begin(), all.end(), type_), all.end());
}

}  // namespace pgha
