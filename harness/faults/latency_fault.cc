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

#include <functional>

#include "cluster/service_control.h"
#include "core/files.h"
#include "faults/helper_daemon.h"
#include "faults/path_probe.h"
#include "faults/traffic.h"
#include "netem/delay_model.h"

namespace pgha {
namespace {

constexpr int kProbeCount = 15;
constexpr uint32_t kDuplicateMark = 0x70ea;

struct LatencyParams : FaultParams {
  DelayModel model;
  std::string direction = "out";
  bool has_peer = false;
  TargetSpec peer;
  int port = 0;
  std::string Describe() const override {
    std::string s = model.Describe();
    if (direction != "out") s += ", " + direction;
    if (has_peer) s += " to " + peer.ToString();
    if (port) s += fmt::format(" port {}", port);
    return s;
  }
  std::vector<TargetSpec> OtherTargets() const override {
    return has_peer ? std::vector<TargetSpec>{peer} : std::vector<TargetSpec>{};
  }
  bool NeedsEngine() const {
    return direction != "out" || has_peer || port || model.reorder_percent > 0 || model.duplicate_percent > 0;
  }
};

double Ms(Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

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
  r.map.Require("delay");
  Duration delay{}, jitter{};
  r.map.Dur("delay", &delay);
  r.map.Dur("jitter", &jitter);
  p->model.delay_ms = Ms(delay);
  p->model.jitter_ms = Ms(jitter);
  if (auto d = r.map.Node("delay"); d && delay.count() <= 0)
    r.map.ErrorAt(*d, "a delay of 0 delays nothing: write one, e.g. delay: 200ms");
  if (delay > std::chrono::minutes(1)) r.map.ErrorAt(*r.map.Node("delay"), "a delay is at most 1m");
  std::string dist = "uniform";
  r.map.Name("distribution", &dist);
  if (auto d = DistributionFromName(dist))
    p->model.distribution = *d;
  else
    r.map.ErrorAt(*r.map.Node("distribution"), "distribution is uniform, normal or pareto");
  if (r.map.Has("distribution") && jitter.count() <= 0)
    r.map.ErrorAt(*r.map.Node("distribution"), "a distribution shapes the jitter: set jitter too, e.g. jitter: 20ms");
  r.map.Name("direction", &p->direction);
  if (p->direction != "out" && p->direction != "in" && p->direction != "both")
    r.map.ErrorAt(*r.map.Node("direction"), "direction is out (the host's outgoing traffic), in or both");
  p->has_peer = ReadOptionalTarget(r, "peer", &p->peer);
  r.map.Int("port", 1, 65535, &p->port);
  ReadPercent(r, "reorder", &p->model.reorder_percent);
  ReadPercent(r, "duplicate", &p->model.duplicate_percent);
  return p;
}

std::vector<std::string> EngineArgv(const FaultEnv& env, const LatencyParams& p, int queue) {
  const DelayModel& m = p.model;
  return {env.Helper(),     "packet-engine",
          "--queue",        std::to_string(queue),
          "--delay-ms",     fmt::format("{:g}", m.delay_ms),
          "--jitter-ms",    fmt::format("{:g}", m.jitter_ms),
          "--distribution", DistributionName(m.distribution),
          "--reorder",      fmt::format("{:g}", m.reorder_percent),
          "--duplicate",    fmt::format("{:g}", m.duplicate_percent),
          "--mark",         std::to_string(kDuplicateMark)};
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
    if (!p || !p->has_peer) return Status::Ok();
    auto peer = resolve(p->peer);
    if (!peer.ok()) return peer.status();
    out->peers = {(*peer)[0]};
    return Status::Ok();
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
  if (p.port && p.direction == "in") return {far, host.address, p.port};  // connections to the host's port
  return {&host, far->address, p.port ? p.port : ProbePort(*far)};
}

Result<PathSamples> Measure(FaultEnv& env, const MeasuredPath& path, double expected_ms) {
  const Duration timeout = std::chrono::milliseconds(static_cast<int64_t>(2 * expected_ms) + 2000);
  return ProbePath(env, *path.from, path.address, path.port, kProbeCount, timeout);
}

Status Latency::Engine(FaultEnv& env, const ResolvedFault& f, const HostPlan& host, Injection* in) const {
  const auto& p = *ParamsOf<LatencyParams>(f.spec);
  const int queue = 7000 + static_cast<int>(std::hash<std::string>{}(f.spec.id) % 1000);
  const double expected = p.model.MedianMs() * (p.direction == "both" ? 2 : 1);
  const MeasuredPath path = PathFor(env.plan, f, host, p);
  std::optional<PathSamples> before;
  if (path.from && !env.dry_run)
    if (auto b = Measure(env, path, 0); b.ok()) before = *b;
  const std::string label = fmt::format("packet-engine@{}:{}", host.name, f.spec.id);
  DaemonLaunch launch{label,    EngineArgv(env, p, queue),
                      "",       {{"PATH", "/usr/sbin:/usr/bin:/sbin:/bin"}},
                      host.dir, fmt::format("{}/packet-engine-{}.log", host.dir, f.spec.id)};
  in->undo.Add([label, name = host.name](FaultEnv& e) { return StopDaemon(e, name, label); });
  if (Status s = env.provider.Shell().StartDaemon(host, launch, env.manifest); !s.ok()) return s;
  if (Status s = WaitReady(env, host, label, launch.log_file); !s.ok()) return s;
  const HostPlan* peer = f.peers.empty() ? nullptr : env.plan.Find(f.peers[0]);
  for (auto d : {TrafficBlock::Direction::kOut, TrafficBlock::Direction::kIn}) {
    if (p.direction != "both" && (d == TrafficBlock::Direction::kOut) != (p.direction == "out")) continue;
    TrafficBlock rule;
    rule.direction = d;
    rule.peer = peer ? peer->address : "";
    rule.tcp_port = p.port;
    rule.queue = queue;
    rule.skip_mark = static_cast<int>(kDuplicateMark);
    if (Status s = BlockTraffic(env, host.name, rule, f.spec.id, in); !s.ok()) return s;
  }
  in->detail += fmt::format("{} on {} (packet engine, queue {}); ", p.Describe(), host.name, queue);
  if (!path.from || env.dry_run) return Status::Ok();
  auto during = Measure(env, path, expected);
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
  e.tolerance = std::max(0.2 * expected, 5.0);
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
  Injection in;
  for (const auto& name : f.hosts) {
    const HostPlan* host = env.plan.Find(name);
    if (!host) {
      in.status = Failed("unknown host " + name);
      break;
    }
    in.status = env.provider.RunsLocalPrograms() ? Engine(env, f, *host, &in) : Netem(env, f, *host, &in);
    if (!in.status.ok()) break;
  }
  return in;
}

}  // namespace

const FaultType* LatencyFault() {
  static const Latency kType;
  return &kType;
}

}  // namespace pgha
