// `pgha-chaos packet-engine` and `pgha-chaos tcp-probe`: the helpers the
// latency fault runs on a host (netem/packet_engine.h, netem/tcp_probe.h).
// Not meant to be run by hand; hidden from --help.
#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <cstdio>

#include "app/commands.h"
#include "app/system.h"
#include "netem/packet_engine.h"
#include "netem/tcp_probe.h"

namespace pgha {
namespace {
std::atomic<bool> g_engine_stop{false};
void OnEngineSignal(int) { g_engine_stop.store(true); }
}  // namespace

int RunPacketEngineCommand(const PacketEngineCommandOptions& o) {
  PacketEngineOptions e;
  e.queue = o.queue;
  e.model.delay_ms = o.delay_ms;
  e.model.jitter_ms = o.jitter_ms;
  e.model.distribution = DistributionFromName(o.distribution).value_or(DelayDistribution::kUniform);
  e.model.reorder_percent = o.reorder;
  e.model.duplicate_percent = o.duplicate;
  e.max_held = static_cast<size_t>(o.max_held);
  e.mark = o.mark;
  e.rate_bps = o.rate_bps;
  std::signal(SIGTERM, OnEngineSignal);
  std::signal(SIGINT, OnEngineSignal);
  auto counts = RunPacketEngine(e, g_engine_stop, [&] {
    std::printf("ready: queue %d, %s\n", o.queue, e.model.Describe().c_str());
    std::fflush(stdout);
  });
  if (!counts.ok()) {
    PrintError(counts.status().message());
    return ExitCodeFor(counts.status());
  }
  std::printf(
      "stopped: %llu packets, %llu delayed, %llu duplicated, %llu past a full queue, %llu dropped by the rate\n",
      static_cast<unsigned long long>(counts->packets), static_cast<unsigned long long>(counts->held),
      static_cast<unsigned long long>(counts->duplicated), static_cast<unsigned long long>(counts->overflow),
      static_cast<unsigned long long>(counts->dropped));
  return 0;
}

int RunTcpProbeCommand(const TcpProbeCommandOptions& o) {
  TcpProbeOptions p;
  p.address = o.address;
  p.port = o.port;
  p.count = o.count;
  p.spacing = std::chrono::milliseconds(o.spacing_ms);
  p.timeout = std::chrono::milliseconds(o.timeout_ms);
  auto rtt = ProbeTcp(p);
  if (!rtt.ok()) {
    PrintError(rtt.status().message());
    return ExitCodeFor(rtt.status());
  }
  for (const auto& r : *rtt) std::printf(r ? "%.3f\n" : "timeout\n", r.value_or(0));
  return 0;
}

}  // namespace pgha
