// Faked clocks: the processes a scenario's clock faults move
// (ClusterPlan::faked_clocks) start with Debian's libfaketime preloaded,
// reading their offset from a file on the host that a clock fault rewrites
// ("+0" until then: the real time). The processes of one daemon share a
// semaphore and shared memory that we make and record (libfaketime would
// make its own in /dev/shm and leave them behind when SIGKILLed). Monotonic clocks are left alone
// (DONT_FAKE_MONOTONIC), the file is read again at most once a second
// (FAKETIME_CACHE_DURATION=1), and our clock shim is preloaded before
// libfaketime: 0.9.10 fails every absolute sleep on the monotonic clock
// with EINVAL when monotonic clocks are not faked (Python's time.sleep),
// so the shim sends those straight to the kernel.
//
// PostgreSQL is Patroni's child and inherits its environment: both read
// Patroni's clock file, and FAKETIME_ONLY_CMDS makes libfaketime fake only
// the programs named ("python3" for Patroni, "postgres"). libfaketime 0.9.10
// makes every clock_gettime of another thread fail (EAGAIN) in a process it
// is preloaded into but does not fake, so a multi-threaded program (Patroni)
// must be among the faked: a clock step may name patroni alone (PostgreSQL,
// single-threaded, then runs unfaked) or patroni and postgres, not postgres
// alone (the step's reader refuses it). etcd (Go: its own system calls) and
// keepalived are never faked.
#pragma once

#include <string>
#include <vector>

#include "cluster/provider.h"
#include "model/cluster_plan.h"

namespace pgha {

inline constexpr const char* kLibfaketime = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

// The processes whose clock can be faked.
const std::vector<std::string>& FakeableClocks();
// Why the clock of `process` cannot be faked ("" when it can).
std::string WhyClockNotFakeable(const std::string& process);
// The file on `host` whose content is the offset `process` runs with.
std::string ClockFilePath(const HostPlan& host, const std::string& process);
// Our shim beside this program (or in its parent folder: a test binary's); "" when missing.
std::string ClockShimPath();
// `launch` with the preload added when the plan fakes the daemon's clock (or
// its child postgres's): through /usr/bin/env, so that only the daemon (not
// the provider's nsenter or setpriv before it) starts with it.
DaemonLaunch WithFakedClock(const ClusterPlan& plan, const HostPlan& host, const std::string& kind,
                            DaemonLaunch launch);
// When the plan fakes daemon `kind`'s clock on `host`: writes "+0" to its
// clock file and creates the semaphore and shared memory its processes
// share (recorded in `m` first, owned by the daemon's `user`).
Status PrepareFakedClock(HostFiles& files, const ClusterPlan& plan, const HostPlan& host, const std::string& kind,
                         const std::string& user, Manifest& m);
// `programs` and, when the plan fakes a clock, libfaketime (the shim is built with pgha-chaos).
std::vector<RequiredProgram> WithClockPrograms(const ClusterPlan& plan, std::vector<RequiredProgram> programs);

}  // namespace pgha
