// disk_latency: the disk's operations delayed (`delay: 50ms`, `jitter`,
// `distribution: uniform|normal|pareto`, `ops: [read, write, fsync]`, all
// three by default). With fsync delayed, the fault measures itself: the
// fsync p50 over 1.5 s after inject, less the one before, against the
// delay asked (fault_effects); heal journals what the disk saw.
#include <fmt/format.h>

#include <cmath>

#include "faults/delay_keys.h"
#include "faults/durable_faults.h"

namespace pgha {
namespace {

struct DiskLatencyParams : FaultParams {
  DelayModel model;
  std::string ops = "read,write,fsync";
  std::string Describe() const override { return model.Describe() + " on " + ops; }
};

class DiskLatency : public DiskSwitchFault {
 public:
  std::string Name() const override { return "disk_latency"; }
  std::string Summary() const override {
    return "disk operations delayed (delay, jitter, distribution, ops: read|write|fsync)";
  }
  bool MayFailOver(const FaultSpec&) const override { return false; }
  std::shared_ptr<const FaultParams> Read(FaultReadContext& r) const override {
    auto p = std::make_shared<DiskLatencyParams>();
    ReadDelayKeys(r, std::chrono::seconds(10), "10s", &p->model);
    p->ops = ReadDiskOps(r, p->ops);
    return p;
  }

 protected:
  ControlRequest On(const FaultSpec& f) const override {
    const auto* p = ParamsOf<DiskLatencyParams>(f);
    if (!p) return {"latency", {{"off", "1"}}};
    return {"latency",
            {{"ms", fmt::format("{:g}", p->model.delay_ms)},
             {"jitter_ms", fmt::format("{:g}", p->model.jitter_ms)},
             {"distribution", DistributionName(p->model.distribution)},
             {"ops", p->ops}}};
  }
  ControlRequest Off() const override { return {"latency", {{"off", "1"}}}; }
  std::string Effect(const std::map<std::string, std::string>& s) const override {
    return "while delayed: " + FsyncFigures(s) +
           fmt::format(", {:.0f} reads, {:.0f} writes", StatNumber(s, "reads"), StatNumber(s, "writes"));
  }
  void Measure(FaultEnv& env, const HostPlan& host, const FaultSpec& f,
               const std::map<std::string, std::string>& before, Injection* in) const override;
};

void DiskLatency::Measure(FaultEnv& env, const HostPlan& host, const FaultSpec& f,
                          const std::map<std::string, std::string>& before, Injection* in) const {
  const auto* p = ParamsOf<DiskLatencyParams>(f);
  if (!p || p->ops.find("fsync") == std::string::npos) return;
  env.clock.SleepFor(std::chrono::milliseconds(1500));
  auto during = DurableControl(host, {"stats", {}});
  if (!during.ok()) return;
  const int samples = static_cast<int>(StatNumber(*during, "fsync_samples"));
  if (samples < 5) {
    in->detail += fmt::format("{}: not measured, {} fsyncs in 1.5 s; ", host.name, samples);
    return;
  }
  const DelayModel::Spread expected = p->model.Expected();
  FaultEffect e;
  e.fault_id = f.id;
  e.quantity = "fsync_delay_ms";
  e.path = host.name + " fsync";
  e.asked = expected.median_ms;
  e.before = StatNumber(before, "fsync_p50_us") / 1000;
  e.p50 = StatNumber(*during, "fsync_p50_us") / 1000 - e.before;
  e.p99 = StatNumber(*during, "fsync_p99_us") / 1000 - e.before;
  e.samples = samples;
  e.tolerance = std::max({0.2 * e.asked, 5.0, 2.5 * expected.stddev_ms / std::sqrt(static_cast<double>(samples))});
  e.engine = "durable-fs";
  in->effects.push_back(e);
}

}  // namespace

const FaultType* DiskLatencyFault() {
  static const DiskLatency kType;
  return &kType;
}

}  // namespace pgha
