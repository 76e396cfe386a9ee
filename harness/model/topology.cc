#include "model/topology.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/units.h"

namespace pgha {

int ServiceSpec::Port(const std::string& name) const {
  auto it = ports.find(name);
  return it == ports.end() ? 0 : it->second;
}

bool HostSpec::Runs(const std::string& kind) const { return Service(kind) != nullptr; }

const ServiceSpec* HostSpec::Service(const std::string& kind) const {
  for (const auto& s : services)
    if (s.kind == kind) return &s;
  return nullptr;
}

std::string EndpointRoleName(EndpointRole r) { return r == EndpointRole::kReadWrite ? "read-write" : "read-only"; }

std::vector<const HostSpec*> Topology::HostsRunning(const std::string& kind) const {
  return HostsRunningIn(hosts, kind);
}

const EndpointSpec* Topology::Endpoint(EndpointRole role) const { return EndpointIn(endpoints, role); }

std::set<std::string> Topology::Kinds() const { return KindsIn(hosts); }

std::vector<std::string> PatroniTimingWarnings(const PatroniSettings& p) {
  std::vector<std::string> w;
  if (p.loop_wait + 2 * p.retry_timeout > p.ttl)
    w.push_back(fmt::format(
        "patroni settings break loop_wait + 2*retry_timeout <= ttl ({} + 2*{} > {}): Patroni 3.0.2 does not check "
        "this, and a leader may lose its key during a DCS hiccup without noticing in time",
        FormatDuration(p.loop_wait), FormatDuration(p.retry_timeout), FormatDuration(p.ttl)));
  return w;
}

SettingGroup DescribePatroni(const PatroniSettings& p) {
  return {{"ttl", FormatDuration(p.ttl)},
          {"loop_wait", FormatDuration(p.loop_wait)},
          {"retry_timeout", FormatDuration(p.retry_timeout)},
          {"maximum_lag_on_failover", p.maximum_lag_on_failover},
          {"synchronous_mode", p.synchronous_mode},
          {"synchronous_mode_strict", p.synchronous_mode_strict},
          {"use_pg_rewind", p.use_pg_rewind},
          {"postgresql_parameters", p.postgresql_parameters}};
}

SettingGroup DescribeHaproxy(const HaproxySettings& h) {
  return {{"check_interval", FormatDuration(h.check_interval)},
          {"check_timeout", FormatDuration(h.check_timeout)},
          {"fall", h.fall},
          {"rise", h.rise},
          {"shutdown_sessions", h.shutdown_sessions}};
}

}  // namespace pgha
