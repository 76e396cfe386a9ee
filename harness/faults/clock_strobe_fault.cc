// clock_strobe: the wall clock of the named processes of a host flips
// between `offset` and the real time every `period` until heal (a clock
// source that keeps jumping back and forth); monotonic clocks untouched
// (faults/clock_faults.h). Not meant to fail over.
#include "faults/clock_faults.h"

namespace pgha {

const FaultType* ClockStrobeFault() {
  static const ClockStrobeFaultType kType;
  return &kType;
}

}  // namespace pgha
