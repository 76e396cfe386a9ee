// The emulated watchdog as a service kind (watchdog.cc): not a role a
// topology names, but part of every Patroni host when
// `patroni.watchdog: emulated`. It is `pgha-chaos watchdog` (the program
// in watchdog/emulated_watchdog.h), run as root on the host before Patroni,
// which opens its named pipe as Patroni's watchdog device. When it fences
// the host it appends a line to the host's marker file; the fault injector
// reads that to start the host's services again when faults are healed
// (a fenced host "reboots").
#pragma once

#include <string>

#include "model/cluster_plan.h"

namespace pgha {

std::string WatchdogDevice(const HostPlan& host);  // the named pipe Patroni opens
std::string WatchdogMarker(const HostPlan& host);  // one line per fence

}  // namespace pgha
