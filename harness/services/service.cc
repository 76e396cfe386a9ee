#include "services/service.h"

#include <fmt/format.h>

namespace pgha {

std::string DaemonLogPath(const HostPlan& host, const std::string& kind) { return host.dir + "/" + kind + ".log"; }

DaemonLaunch ServiceDaemon(const std::string& kind, const HostPlan& host, std::vector<std::string> argv,
                           const std::string& user, const std::string& home) {
  std::map<std::string, std::string> env = {
      {"PATH", "/usr/sbin:/usr/bin:/sbin:/bin"},
      {"LANG", "C.UTF-8"},
      {"LC_ALL", "C.UTF-8"},
      {"TZ", "UTC"}};  // log stamps in UTC: the harness reads them (observe/log_events.h)
  if (!home.empty()) env["HOME"] = home;
  return {kind + "@" + host.name, std::move(argv), user, env, host.dir, DaemonLogPath(host, kind)};
}

std::vector<std::string> Service::LogFiles(const HostPlan& host) const { return {DaemonLogPath(host, Kind())}; }

ServiceCheck Service::Probe(const ProbeContext&, const HostPlan& host) const {
  ServiceCheck c;
  c.kind = Kind();
  c.host = host.name;
  c.answered = c.healthy = true;  // a kind without a probe of its own is judged by the endpoints it serves
  return c;
}

HealthPart Service::Judge(const std::vector<ServiceCheck>&, const HealthFacts&,
                          const std::vector<std::string>& endpoint_problems) const {
  return {"", endpoint_problems};
}

std::string Service::StatusLine(const ServiceCheck& c) const {
  return fmt::format("{} {}: {}", c.kind, c.host,
                     !c.answered ? "no answer (" + c.error + ")"
                     : c.healthy ? "healthy"
                                 : "UNHEALTHY");
}

}  // namespace pgha
