// `pgha-chaos watchdog`: the emulated watchdog daemon of one host (see
// watchdog/emulated_watchdog.h). The harness starts it on every Patroni
// host of a topology with `patroni.watchdog: emulated`; it is not meant to
// be run by hand and is hidden from --help.
#include <atomic>
#include <csignal>

#include "app/commands.h"
#include "app/system.h"
#include "core/clock.h"
#include "watchdog/emulated_watchdog.h"

namespace pgha {
namespace {
std::atomic<bool> g_stop{false};
void OnSignal(int) { g_stop.store(true); }
}  // namespace

int RunWatchdogCommand(const WatchdogCommandOptions& o) {
  auto io = MakeNamespaceWatchdogIo(o.device, o.owner, o.marker);
  if (!io.ok()) {
    PrintError(io.status().message());
    return ExitCodeFor(io.status());
  }
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);
  SystemClock clock;
  RunWatchdog(**io, clock, WatchdogOptions{}, g_stop);
  return 0;
}

}  // namespace pgha
