// power_loss: the hosts' power cut at one instant (`target: [primary,
// sync_standby]` for a correlated loss): every process SIGKILLed and the
// data they wrote but did not fsync dropped; heal powers them on.
#include "faults/durable_faults.h"

namespace pgha {

const FaultType* PowerLossFault() {
  static const PowerCutFault kType(
      "power_loss", "the hosts lose power: every process killed, unsynced data dropped; heal powers them on", false);
  return &kType;
}

}  // namespace pgha
