// ServiceControl: what faults, heals and restarts do to a host's services,
// named by kind ("patroni", "etcd@node1"'s "etcd", ...): signal one, ask
// whether it runs, start it again. The kind "postgres" means the
// postmaster of the host's data directory and its children (PostgreSQL is
// Patroni's child service, not a daemon of its own).
//
// DaemonControl is the implementation for hosts whose daemons the harness
// started itself (the netns and containers providers): a daemon's pids
// come from the run's manifest and are checked by start time, signals go
// through HostShell, the postmaster's pid is read from postmaster.pid
// through HostFiles. The ssh provider controls systemd units instead.
// Failures are values; not thread-safe (the runner's thread).
#pragma once

#include <string>
#include <vector>

#include "cluster/provider.h"

namespace pgha {

class ServiceControl {
 public:
  virtual ~ServiceControl() = default;
  // Sends `sig` to the service's daemon (and to its children where
  // `with_children`); returns the pids signalled as the host numbers them,
  // empty when it was not running.
  virtual Result<std::vector<int>> Signal(const HostPlan& host, const std::string& kind, int sig, bool with_children,
                                          const Manifest& m) = 0;
  // The daemon's pids as Processes and Signal number them; empty when it is not running.
  virtual std::vector<int> Pids(const HostPlan& host, const std::string& kind, const Manifest& m) = 0;
  bool Running(const HostPlan& host, const std::string& kind, const Manifest& m) {
    return !Pids(host, kind, m).empty();
  }
  // Starts the daemon `launch` describes (label "kind@host"); what it
  // creates is recorded in `m` first.
  virtual Status Start(const HostPlan& host, const DaemonLaunch& launch, Manifest& m) = 0;
};

class DaemonControl : public ServiceControl {
 public:
  DaemonControl(HostShell& shell, HostFiles& files) : shell_(shell), files_(files) {}
  Result<std::vector<int>> Signal(const HostPlan& host, const std::string& kind, int sig, bool with_children,
                                  const Manifest& m) override;
  std::vector<int> Pids(const HostPlan& host, const std::string& kind, const Manifest& m) override {
    return Pids(host, kind, false, m);
  }
  Status Start(const HostPlan& host, const DaemonLaunch& launch, Manifest& m) override;

  // The postmaster of the host's data directory and its children; empty when it is not running.
  std::vector<int> PostgresPids(const HostPlan& host);
  std::vector<int> Pids(const HostPlan& host, const std::string& kind, bool with_children, const Manifest& m);

 private:
  HostShell& shell_;
  HostFiles& files_;
};

}  // namespace pgha
