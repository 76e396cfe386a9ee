// What the durability faults share (internal to faults/): the durable file
// system (durablefs/) that a scenario with one of them gets under every
// data volume, reached through its control channel; why a host cannot
// take them; and the power cut of one or several hosts at once, which
// power_loss and torn_write are. A kind here says NeedsDurableFs, so the
// scenario's hosts get the layer without further configuration.
#pragma once

#include <map>
#include <string>

#include "durablefs/control_protocol.h"
#include "faults/fault_type.h"

namespace pgha {

// One request to a host's durable file system.
Result<std::map<std::string, std::string>> DurableControl(const HostPlan& h, const ControlRequest& r);

class DurableFault : public FaultType {
 public:
  bool NeedsDurableFs(const FaultSpec&) const override { return true; }
  // Targets must hold data (run Patroni or etcd).
  std::string Misfit(const Topology& t, const FaultSpec& f, const std::vector<const HostSpec*>& c) const override;
  // The provider must mount the layer (hosts on this machine), and every target must have it.
  std::string WhyNot(FaultEnv& env, const ResolvedFault& f) const override;
};

// power_loss and torn_write: every process of the targets but the durable
// file system SIGKILLed in one pass, then each host's cache of unsynced
// data dropped (torn: a sector-aligned prefix of the last write kept);
// heal starts the hosts' services again, the DCS first.
class PowerCutFault : public DurableFault {
 public:
  PowerCutFault(std::string name, std::string summary, bool tear)
      : name_(std::move(name)), summary_(std::move(summary)), tear_(tear) {}
  std::string Name() const override { return name_; }
  std::string Summary() const override { return summary_; }
  TargetUse Targets() const override { return TargetUse::kList; }
  std::shared_ptr<const FaultParams> Read(FaultReadContext&) const override { return std::make_shared<FaultParams>(); }
  Injection Inject(FaultEnv& env, const ResolvedFault& f) const override;
  std::optional<FailureClass> Predicts(const FaultSpec& f) const override;

 private:
  std::string name_, summary_;
  bool tear_;
};

// fsync_lies, disk_latency and disk_errors: a control request that
// switches a disk fault on for each target, and heal's that switches it
// off and journals what the disk did meanwhile (from the stats window
// opened at inject). Measure may record a FaultEffect just after inject.
class DiskSwitchFault : public DurableFault {
 public:
  Injection Inject(FaultEnv& env, const ResolvedFault& f) const override;

 protected:
  virtual ControlRequest On(const FaultSpec& f) const = 0;
  virtual ControlRequest Off() const = 0;
  // What heal journals, from the stats of the fault's window.
  virtual std::string Effect(const std::map<std::string, std::string>& during) const = 0;
  virtual void Measure(FaultEnv&, const HostPlan&, const FaultSpec&, const std::map<std::string, std::string>&,
                       Injection*) const {}
};

// Reads `ops: [read, write, fsync]` (all three when absent) into "read,write,fsync".
std::string ReadDiskOps(FaultReadContext& r, const std::string& fallback);
// Reads a percentage ("10%") at `key` into a fraction; `fallback` when absent.
double ReadShare(FaultReadContext& r, const std::string& key, double fallback);

// "fsyncs p50 0.4 ms, p99 2.1 ms (812)" from a stats reply.
std::string FsyncFigures(const std::map<std::string, std::string>& stats);
double StatNumber(const std::map<std::string, std::string>& stats, const std::string& key);

}  // namespace pgha
