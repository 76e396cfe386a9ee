// clock_skew: the named processes of a host run with their wall clock
// `offset` off (NTP misconfigured), from the step until heal; monotonic
// clocks untouched (faults/clock_faults.h). Not meant to fail over.
#include "faults/clock_faults.h"

namespace pgha {

const FaultType* ClockSkewFault() {
  static const ClockStepFault kType("clock_skew",
                                    "processes' wall clocks run `offset` off until heal (libfaketime; not etcd)");
  return &kType;
}

}  // namespace pgha
