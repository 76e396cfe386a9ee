// Cancellation: SIGINT and SIGTERM set a process-wide flag that every wait
// loop polls, so Ctrl-C leads to an orderly teardown instead of a dead
// process with a cluster behind it.
//
// InstallCancelHandlers() is called once by main. A second signal while
// teardown runs is ignored (teardown has its own deadlines); SIGKILL cannot
// be caught, which is what `pgha-chaos cleanup` is for.
// Thread-safety: the flag is a lock-free atomic.
#pragma once

namespace pgha {

void InstallCancelHandlers();
// For commands that only read files (validate, lint, list, report,
// compare): SIGINT, SIGTERM and SIGHUP end the process at once with exit
// 130, saying so; there is nothing to tear down.
void ExitAtOnceOnCancelSignals();
bool CancelRequested();
// Signal number that requested cancellation, or 0.
int CancelSignal();
// For tests and for the runner's own deadline: request cancellation.
void RequestCancel(int signal_number);
void ResetCancelForTest();

}  // namespace pgha
