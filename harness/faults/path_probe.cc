#include "faults/path_probe.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/files.h"
#include "core/units.h"

namespace pgha {

double PathSamples::Percentile(double p) const {
  if (rtt_ms.empty()) return 0;
  std::vector<double> s = rtt_ms;
  std::sort(s.begin(), s.end());
  const size_t i = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(s.size()))) - 1;
  return s[std::min(i, s.size() - 1)];
}

Result<PathSamples> ProbePath(FaultEnv& env, const HostPlan& from, const std::string& address, int port, int count,
                              Duration timeout) {
  const auto timeout_ms = std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count();
  const std::vector<std::string> argv = {
      env.Helper(), "tcp-probe",           "--address",    address, "--port",       std::to_string(port),
      "--count",    std::to_string(count), "--spacing-ms", "20",    "--timeout-ms", std::to_string(timeout_ms)};
  auto r =
      env.provider.Shell().Exec(from, argv, timeout + std::chrono::milliseconds(20 * count) + std::chrono::seconds(5));
  if (!r.ok()) return r.status();
  if (!r->Succeeded()) return Failed(fmt::format("tcp-probe on {} failed: {}", from.name, r->err));
  PathSamples out;
  std::istringstream lines(r->out);
  for (std::string line; std::getline(lines, line);) {
    if (line == "timeout")
      ++out.timeouts;
    else if (auto v = ParseNumber(line))
      out.rtt_ms.push_back(*v);
  }
  return out;
}

void MeasureCut(FaultEnv& env, const std::string& fault_id, const HostPlan& from, const HostPlan& to, int port,
                Injection* in) {
  if (env.dry_run) return;
  if (!env.provider.RunsLocalPrograms()) {
    in->detail += "cut not measured: the hosts run no probe of ours; ";
    return;
  }
  constexpr int kAttempts = 5;
  const int p = port ? port : ProbePort(to);
  auto s = ProbePath(env, from, to.address, p, kAttempts, std::chrono::milliseconds(500));
  FaultEffect e;
  e.fault_id = fault_id;
  e.quantity = "reachable_percent";
  e.path = fmt::format("{} -> {}:{}", from.name, to.name, p);
  e.engine = "iptables";
  if (s.ok()) {
    e.samples = kAttempts;
    e.p50 = e.p99 = 100.0 * static_cast<double>(s->rtt_ms.size()) / kAttempts;
  }
  in->detail += s.ok() ? fmt::format("measured {}: {:g}% of {} connects got through; ", e.path, e.p50, kAttempts)
                       : "cut not measured: " + s.status().message() + "; ";
  if (s.ok()) in->effects.push_back(e);
}

int ProbePort(const HostPlan& host) {
  for (const auto& s : host.services)
    for (const auto& [name, port] : s.ports)
      if (port > 0) return port;
  return 9;
}

}  // namespace pgha
