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

std::string EndpointViaName(EndpointVia v) {
  switch (v) {
    case EndpointVia::kHost: return "host";
    case EndpointVia::kVip: return "vip";
    case EndpointVia::kMultiHost: return "multi_host";
  }
  return "host";
}

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
  SettingGroup g = {{"ttl", FormatDuration(p.ttl)},
                    {"loop_wait", FormatDuration(p.loop_wait)},
                    {"retry_timeout", FormatDuration(p.retry_timeout)},
                    {"maximum_lag_on_failover", p.maximum_lag_on_failover},
                    {"synchronous_mode", p.synchronous_mode},
                    {"synchronous_mode_strict", p.synchronous_mode_strict},
                    {"use_pg_rewind", p.use_pg_rewind},
                    {"postgresql_parameters", p.postgresql_parameters}};
  if (p.watchdog != "off") {
    g["watchdog"] = p.watchdog;
    g["watchdog_safety_margin"] =
        p.watchdog_safety_margin < 0 ? std::string("ttl/2") : fmt::format("{}s", p.watchdog_safety_margin);
  }
  if (!p.config_overlay.empty()) g["config_overlay"] = p.config_overlay;
  return g;
}

SettingGroup DescribeHaproxy(const HaproxySettings& h) {
  return {{"check_interval", FormatDuration(h.check_interval)},
          {"check_timeout", FormatDuration(h.check_timeout)},
          {"fall", h.fall},
          {"rise", h.rise},
          {"shutdown_sessions", h.shutdown_sessions}};
}

SettingsUnderTest DescribeTopologySettings(const Topology& t) {
  if (!t.settings_from.empty())
    return {{"patroni", DescribePatroni(t.patroni)},
            {"source", {{"read_from", t.settings_from}, {"others", "the hosts' own configuration files, not read"}}}};
  SettingsUnderTest s = {{"patroni", DescribePatroni(t.patroni)}, {"haproxy", DescribeHaproxy(t.haproxy)}};
  if (!t.HostsRunning("pgbouncer").empty())
    s["pgbouncer"] = {{"pool_mode", t.pgbouncer.pool_mode},
                      {"backend", t.pgbouncer.backend},
                      {"server_check_delay", FormatDuration(t.pgbouncer.server_check_delay)},
                      {"server_login_retry", FormatDuration(t.pgbouncer.server_login_retry)},
                      {"server_connect_timeout", FormatDuration(t.pgbouncer.server_connect_timeout)},
                      {"query_wait_timeout", FormatDuration(t.pgbouncer.query_wait_timeout)}};
  if (t.vip.enabled())
    s["vip"] = {{"advert_int", FormatDuration(t.vip.advert_int)},
                {"virtual_router_id", t.vip.virtual_router_id},
                {"keepalived", t.templates.by_service.count("keepalived")
                                   ? "the user's template"
                                   : "every instance starts BACKUP, nopreempt, priority 150 - 10 x its host order"}};
  if (t.tls.any()) s["tls"] = {{"etcd", t.tls.etcd}, {"patroni_api", t.tls.patroni_api}, {"postgres", t.tls.postgres}};
  for (const auto& [service, path] : t.templates.by_service) s["templates"][service] = path;
  return s;
}

}  // namespace pgha
