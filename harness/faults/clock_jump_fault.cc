// clock_jump: the wall clock of the named processes of a host steps by
// `offset` at the step (an operator or a broken NTP stepping it: a 5-minute
// rollback is patroni#3560), and steps back at heal; monotonic clocks
// untouched (faults/clock_faults.h). Not meant to fail over.
#include "faults/clock_faults.h"

namespace pgha {

const FaultType* ClockJumpFault() {
  static const ClockStepFault kType(
      "clock_jump", "processes' wall clocks step by `offset` (e.g. -5m), back at heal (libfaketime; not etcd)");
  return &kType;
}

}  // namespace pgha
