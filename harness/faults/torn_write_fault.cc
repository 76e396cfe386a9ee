// torn_write: a power loss in which the last write still unsynced reached
// the disk only in part (whole sectors of its first half).
#include "faults/durable_faults.h"

namespace pgha {

const FaultType* TornWriteFault() {
  static const PowerCutFault kType(
      "torn_write", "a power loss that tears the last unsynced write (a sector-aligned prefix persists)", true);
  return &kType;
}

}  // namespace pgha
