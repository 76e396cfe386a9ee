// latency: a host's traffic delayed, with jitter and a distribution, a
// share reordered or duplicated; by default its outgoing traffic
// (`direction: out|in|both`), optionally only to a `peer` or TCP `port`.
//
// Engines: where the provider's hosts run this machine's programs
// (netns), our packet engine (netem/packet_engine.h) on an NFQUEUE of the
// host, needing no sch_netem; elsewhere tc netem on the host's interface
// (outgoing traffic only), if its kernel has it; else skipped with both
// reasons. The engine measures itself: TCP round trips on the delayed path
// before and during the fault (FaultEffect), p50 against the distribution's
// median, within 20 % or 5 ms.
#include <fmt/format.h>

#include <cmath>

#include "faults/delay_keys.h"
#include "faults/path_probe.h"
#include "faults/queued_traffic.h"
#include "netem/delay_model.h"

namespace pgha {
namespace {

constexpr int kProbeCount = 15;        // round trips measured for a steady delay
constexpr int kJitterProbeCount = 41;  // and for one that varies: its median is noisier

struct LatencyParams : FaultParams {
  DelayModel model;
  TrafficScope scope;
  std::string Describe() const override { return model.Describe() + scope.Describe(); }
  std::vector<TargetSpec> OtherTargets() const override {
    return scope.has_peer ? std::vector<TargetSpec>{scope.peer} : std::vector<TargetSpec>{};
  }
  bool NeedsEngine() const { return !scope.Plain() || model.reorder_percent > 0 || model.duplicate_percent > 0; }
};

void ReadPercent(FaultReadContext& r, const std::string& key, double* out) {
  auto n = r.map.Node(key);
  if (!n) return;
  const std::string s = n->IsScalar() ? n->Scalar() : "";
  const double pct = s.size() > 1 && s.back() == '%' ? ParseNumber(s.substr(0, s.size() - 1)).value_or(-1) : -1;
  if (pct < 0 || pct > 100)
    r.map.ErrorAt(*n, fmt::format("{} must be a percentage from 0 to 100, e.g. 10%, got \"{}\"", key, s));
  else
    *out = pct;
}

std::shared_ptr<const FaultParams> ReadLatency(FaultReadContext& r) {
  auto p = std::make_shared<LatencyParams>();
  ReadDelayKeys(r, std::chrono::minutes(1), "1m", &p->model);
  ReadTrafficScope(r, &p->scope);
  ReadPercent(r, "reorder", &p->model.reorder_percent);
  ReadPercent(r, "duplicate", &p->model.duplicate_percent);
  return p;
}

std::vector<std::string> EngineArgs(const LatencyParams& p) {
  const DelayModel& m = p.model;
  return {
      "--delay-ms",     fmt::format("{:g}", m.delay_ms),         "--jitter-ms", fmt::format("{:g}", m.jitter_ms),
      "--distribution", DistributionName(m.distribution),        "--reorder",   fmt::format("{:g}", m.reorder_percent),
      "--duplicate",    fmt::format("{:g}", m.duplicate_percent)};
}

// Where the delayed path is measured: from the faulted host out to the far
// host, or (incoming connections to a port) from the far host in.
struct MeasuredPath {
  const HostPlan* from = nullptr;
  std::string address;
  int port = 0;
  std::string Describe(const HostPlan& host) const {
    return fmt::format("{} -> {}:{}", from->name, from == &host ? address : host.name, port);
  }
};

class Latency : public FaultType {
 public:
  std::string Name() const override { return "latency"; }
  std::string Summary() const override {
    return "a host's traffic delayed (delay, jitter, distribution, direction, peer, port, reorder, duplicate)";
  }
  std::shared_ptr<const FaultParams> Read(FaultReadContext& r) const override { return ReadLatency(r); }
  Status Resolve(const TargetResolver& resolve, const ClusterPlan& plan, const FaultSpec& f,
                 ResolvedFault* out) const override {
    if (Status s = FaultType::Resolve(resolve, plan, f, out); !s.ok()) return s;
    const auto* p = ParamsOf<LatencyParams>(f);
    return p ? ResolvePeer(resolve, p->scope, out) : Status::Ok();
  }
  std::string WhyNot(FaultEnv& env, const ResolvedFault& f) const override;
  Injection Inject(FaultEnv& env, const ResolvedFault& f) const override;

 private:
  Status Engine(FaultEnv& env, const ResolvedFault& f, const HostPlan& host, Injection* in) const;
  Status Netem(FaultEnv& env, const ResolvedFault& f, const HostPlan& host, Injection* in) const;
};

std::string Latency::WhyNot(FaultEnv& env, const ResolvedFault& f) const {
  if (std::string why = FaultType::WhyNot(env, f); !why.empty()) return why;
  if (f.hosts.empty()) return "no host to delay";
  if (env.provider.RunsLocalPrograms()) return "";
  const auto* p = ParamsOf<LatencyParams>(f.spec);
  const std::string no_engine =
      fmt::format("the {} provider's hosts cannot run our packet engine", env.provider.Name());
  if (p && p->NeedsEngine())
    return no_engine +
           ", and tc netem here delays only all outgoing traffic (no direction, peer, port, reorder or "
           "duplicate)";
  const std::string why = env.provider.Network().WhyNoShape(*env.plan.Find(f.hosts[0]), {"netem", {"delay", "1ms"}});
  return why.empty() ? "" : no_engine + "; " + why;
}

// The far end of the measured path: the peer, else another host of the cluster.
const HostPlan* FarHost(const ClusterPlan& plan, const ResolvedFault& f, const HostPlan& host) {
  if (!f.peers.empty()) return plan.Find(f.peers[0]);
  for (const auto& h : plan.hosts)
    if (h.name != host.name) return &h;
  return nullptr;
}

MeasuredPath PathFor(const ClusterPlan& plan, const ResolvedFault& f, const HostPlan& host, const LatencyParams& p) {
  MeasuredPath path;
  const HostPlan* far = FarHost(plan, f, host);
  if (!far) return path;
  const TrafficScope& scope = p.scope;
  if (scope.port && scope.direction == "in") return {far, host.address, scope.port};  // connections to the host's port
  return {&host, far->address, scope.port ? scope.port : ProbePort(*far)};
}

Result<PathSamples> Measure(FaultEnv& env, const MeasuredPath& path, double expected_ms, int count) {
  const Duration timeout = std::chrono::milliseconds(static_cast<int64_t>(2 * expected_ms) + 2000);
  return ProbePath(env, *path.from, path.address, path.port, count, timeout);
}

Status Latency::Engine(FaultEnv& env, const ResolvedFault& f, const HostPlan& host, Injection* in) const {
  const auto& p = *ParamsOf<LatencyParams>(f.spec);
  // Both ways, the round trip crosses two independent delays.
  const int ways = p.scope.direction == "both" ? 2 : 1;
  const DelayModel::Spread one_way = p.model.Expected();
  const double expected = one_way.median_ms * ways;
  const int count = one_way.stddev_ms > 1 ? kJitterProbeCount : kProbeCount;
  const MeasuredPath path = PathFor(env.plan, f, host, p);
  std::optional<PathSamples> before;
  if (path.from && !env.dry_run)
    if (auto b = Measure(env, path, 0, kProbeCount); b.ok()) before = *b;
  auto queue = StartPacketEngine(env, host, f, p.scope, EngineArgs(p), in);
  if (!queue.ok()) return queue.status();
  in->detail += fmt::format("{} on {} (packet engine, queue {}); ", p.Describe(), host.name, *queue);
  if (!path.from || env.dry_run) return Status::Ok();
  auto during = Measure(env, path, expected, count);
  if (!during.ok()) {
    in->detail += "not measured: " + during.status().message() + "; ";
    return Status::Ok();
  }
  FaultEffect e;
  e.fault_id = f.spec.id;
  e.quantity = "delay_ms";
  e.path = path.Describe(host);
  e.asked = expected;
  e.before = before ? before->Percentile(50) : 0;
  e.p50 = during->Percentile(50) - e.before;
  e.p99 = during->Percentile(99) - e.before;
  e.samples = static_cast<int>(during->rtt_ms.size());
  // 20 % or 5 ms, or where the delay varies, 2.5 standard errors of a median of `count` draws.
  const double median_error = 1.2533 * one_way.stddev_ms * std::sqrt(static_cast<double>(ways) / count);
  e.tolerance = std::max({0.2 * expected, 5.0, 2.5 * median_error});
  e.engine = "nfqueue";
  in->detail += fmt::format("measured {}: p50 {:.1f}ms p99 {:.1f}ms over {} round trips (asked {:g}ms); ", e.path,
                            e.p50, e.p99, e.samples, expected);
  in->effects.push_back(e);
  return Status::Ok();
}

Status Latency::Netem(FaultEnv& env, const ResolvedFault& f, const HostPlan& host, Injection* in) const {
  const auto& m = ParamsOf<LatencyParams>(f.spec)->model;
  TrafficShape shape{"netem", {"delay", fmt::format("{:g}ms", m.delay_ms)}};
  if (m.jitter_ms > 0) shape.args.push_back(fmt::format("{:g}ms", m.jitter_ms));
  if (m.jitter_ms > 0 && m.distribution != DelayDistribution::kUniform)
    shape.args.insert(shape.args.end(), {"distribution", DistributionName(m.distribution)});
  auto id = env.provider.Network().Shape(host, shape, fmt::format("{}:{}", host.name, f.spec.id), env.manifest);
  if (!id.ok()) return id.status().WithContext("delay on " + host.name);
  const size_t rule = *id;
  in->undo.Add([rule](FaultEnv& e) { return e.provider.Network().Unshape(rule, e.manifest); });
  in->detail +=
      fmt::format("{} on {} (tc netem; not measured: the host runs no probe of ours); ", m.Describe(), host.name);
  return Status::Ok();
}

Injection Latency::Inject(FaultEnv& env, const ResolvedFault& f) const {
  return ForEachHost(env, f, [&](const HostPlan& host, Injection* in) {
    return env.provider.RunsLocalPrograms() ? Engine(env, f, host, in) : Netem(env, f, host, in);
  });
}

}  // namespace

const FaultType* LatencyFault() {
  static const Latency kType;
  return &kType;
}

}  // namespace pgha
