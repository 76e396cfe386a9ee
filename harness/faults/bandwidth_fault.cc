// bandwidth: a host's traffic limited to a rate (`rate: 1mbit`), by
// default its outgoing traffic (`direction: out|in|both`), optionally only
// to a `peer` or TCP `port`. Where the hosts run our programs, the packet
// engine paces the packets (netem/packet_engine.h); elsewhere a token
// bucket (tc tbf) on the host's interface, outgoing traffic only. Heal
// removes either. Not measured yet: round-trip probes do not show a rate.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "faults/queued_traffic.h"

namespace pgha {
namespace {

struct BandwidthParams : FaultParams {
  double bits_per_s = 0;
  std::string text;
  TrafficScope scope;
  std::string Describe() const override { return text + scope.Describe(); }
  std::vector<TargetSpec> OtherTargets() const override {
    return scope.has_peer ? std::vector<TargetSpec>{scope.peer} : std::vector<TargetSpec>{};
  }
};

// "1mbit", "500kbit", "2gbit", "64000bit": bits per second; nullopt when not one.
std::optional<double> ParseRate(const std::string& s) {
  for (const auto& [unit, scale] :
       std::vector<std::pair<std::string, double>>{{"gbit", 1e9}, {"mbit", 1e6}, {"kbit", 1e3}, {"bit", 1.0}})
    if (s.size() > unit.size() && s.compare(s.size() - unit.size(), unit.size(), unit) == 0) {
      auto v = ParseNumber(s.substr(0, s.size() - unit.size()));
      if (v && *v > 0) return *v * scale;
      return std::nullopt;
    }
  return std::nullopt;
}

class Bandwidth : public FaultType {
 public:
  std::string Name() const override { return "bandwidth"; }
  std::string Summary() const override { return "a host's traffic limited to a rate (rate, direction, peer, port)"; }
  std::shared_ptr<const FaultParams> Read(FaultReadContext& r) const override {
    auto p = std::make_shared<BandwidthParams>();
    r.map.Require("rate");
    r.map.String("rate", &p->text);
    if (auto n = r.map.Node("rate")) {
      auto rate = ParseRate(p->text);
      if (!rate || *rate < 8000 || *rate > 100e9)
        r.map.ErrorAt(*n,
                      fmt::format("rate is a speed from 8kbit to 100gbit, e.g. 1mbit or 500kbit, got \"{}\"", p->text));
      else
        p->bits_per_s = *rate;
    }
    ReadTrafficScope(r, &p->scope);
    return p;
  }
  Status Resolve(const TargetResolver& resolve, const ClusterPlan& plan, const FaultSpec& f,
                 ResolvedFault* out) const override {
    if (Status s = FaultType::Resolve(resolve, plan, f, out); !s.ok()) return s;
    const auto* p = ParamsOf<BandwidthParams>(f);
    return p ? ResolvePeer(resolve, p->scope, out) : Status::Ok();
  }
  std::string WhyNot(FaultEnv& env, const ResolvedFault& f) const override {
    if (std::string why = FaultType::WhyNot(env, f); !why.empty()) return why;
    if (f.hosts.empty()) return "no host to limit";
    if (env.provider.RunsLocalPrograms()) return "";
    const auto* p = ParamsOf<BandwidthParams>(f.spec);
    if (p && !p->scope.Plain())
      return fmt::format(
          "the {} provider's hosts cannot run our packet engine, and tc tbf here limits only all "
          "outgoing traffic (no direction, peer or port)",
          env.provider.Name());
    return env.provider.Network().WhyNoShape(*env.plan.Find(f.hosts[0]), Shape(f.spec));
  }
  Injection Inject(FaultEnv& env, const ResolvedFault& f) const override {
    return ForEachHost(env, f, [&](const HostPlan& host, Injection* in) {
      return env.provider.RunsLocalPrograms() ? Paced(env, f, host, in) : Bucket(env, f, host, in);
    });
  }

 private:
  static Status Paced(FaultEnv& env, const ResolvedFault& f, const HostPlan& host, Injection* in) {
    const auto* p = ParamsOf<BandwidthParams>(f.spec);
    auto queue = StartPacketEngine(env, host, f, p->scope, {"--rate-bps", fmt::format("{:.0f}", p->bits_per_s)}, in);
    if (!queue.ok()) return queue.status();
    in->detail +=
        fmt::format("{} on {} (packet engine, queue {}; rate not measured); ", p->Describe(), host.name, *queue);
    return Status::Ok();
  }
  static Status Bucket(FaultEnv& env, const ResolvedFault& f, const HostPlan& host, Injection* in) {
    auto id =
        env.provider.Network().Shape(host, Shape(f.spec), fmt::format("{}:{}", host.name, f.spec.id), env.manifest);
    if (!id.ok()) return id.status();
    const size_t rule = *id;
    in->undo.Add([rule](FaultEnv& e) { return e.provider.Network().Unshape(rule, e.manifest); });
    in->detail += fmt::format("{}'s outgoing traffic limited to {} (tc tbf; rate not measured); ", host.name,
                              f.spec.params->Describe());
    return Status::Ok();
  }
  static TrafficShape Shape(const FaultSpec& f) {
    const auto* p = ParamsOf<BandwidthParams>(f);
    const double bits = p ? p->bits_per_s : 1e6;
    // A burst of 10 ms of traffic, at least two full frames; a queue of 1 s before tbf drops.
    const auto burst = static_cast<int64_t>(std::max(3200.0, bits / 8 / 100));
    return {"tbf", {"rate", fmt::format("{:.0f}bit", bits), "burst", std::to_string(burst), "latency", "1s"}};
  }
};

}  // namespace

const FaultType* BandwidthFault() {
  static const Bandwidth kType;
  return &kType;
}

}  // namespace pgha
