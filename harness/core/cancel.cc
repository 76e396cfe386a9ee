#include "core/cancel.h"

#include <unistd.h>

#include <atomic>
#include <csignal>

namespace pgha {
namespace {
std::atomic<int> g_cancel_signal{0};

extern "C" void OnCancelSignal(int sig) {
  int expected = 0;
  g_cancel_signal.compare_exchange_strong(expected, sig);
}
extern "C" void ExitOnSignal(int) {
  static const char kLine[] = "\npgha-chaos: interrupted\n";
  // Only async-signal-safe calls here.
  [[maybe_unused]] const ssize_t n = write(2, kLine, sizeof kLine - 1);
  _exit(130);
}
}  // namespace

void ExitAtOnceOnCancelSignals() {
  struct sigaction sa {};
  sa.sa_handler = ExitOnSignal;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &sa, nullptr);
}

void InstallCancelHandlers() {
  struct sigaction sa {};
  sa.sa_handler = OnCancelSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGHUP, &sa, nullptr);
  // A closed pipe (a reader gone) must not kill us mid-teardown.
  signal(SIGPIPE, SIG_IGN);
}

bool CancelRequested() { return g_cancel_signal.load() != 0; }
int CancelSignal() { return g_cancel_signal.load(); }
void RequestCancel(int signal_number) { OnCancelSignal(signal_number); }
void ResetCancelForTest() { g_cancel_signal.store(0); }

}  // namespace pgha
