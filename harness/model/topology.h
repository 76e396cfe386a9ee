// Topology: the shape of a cluster as plain data. Hosts run services
// (etcd, patroni, haproxy, pgbouncer, keepalived, ... : the kinds
// services/registry.h knows), each with its ports; a VIP may float over the
// keepalived hosts; the topology names its endpoints, the addresses clients
// use (read-write, read-only: one service on one host, the VIP, or a libpq
// multi-host string), says which links use TLS, and carries the settings
// under test (Patroni DCS timings and watchdog, HAProxy check timings,
// PgBouncer's server checks, VRRP timing). Defaults are the reference
// settings, commented where they are declared.
//
// Nothing here reads files: scenario/topology_loader.h fills these structs
// from YAML (fixtures/topologies/) and fills in each service's default ports
// and the default endpoints. Everything that needs "where do clients
// connect" or "which hosts run etcd" asks the topology (or the plan made
// from it), never a constant. Pure; plain values, safe to copy.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/clock.h"

namespace pgha {

using namespace std::chrono_literals;

struct PatroniSettings {
  Duration ttl = 5s;                          // leader key lifetime (the reference settings)
  Duration loop_wait = 1s;                    // HA loop period
  Duration retry_timeout = 2s;                // DCS and PostgreSQL retry budget
  int64_t maximum_lag_on_failover = 1048576;  // bytes a replica may lag and still be promoted
  bool synchronous_mode = false;
  bool synchronous_mode_strict = false;
  bool use_pg_rewind = true;
  std::map<std::string, std::string> postgresql_parameters;  // extra postgresql.conf settings
  // Patroni's watchdog: "off", or "emulated" (Patroni's testing driver
  // writes to a named pipe that a fencing daemon of ours reads; it kills
  // every process of the host when keepalives stop, as a hardware reset would).
  std::string watchdog = "off";
  // Patroni's watchdog.safety_margin in seconds; -1 means ttl/2 (Patroni's
  // own rule). Patroni's default, 5, leaves no slack with ttl 5s.
  int watchdog_safety_margin = -1;
  std::string config_overlay;  // a user's Patroni YAML merged over the rendered file ("" none); absolute path
};

struct HaproxySettings {
  Duration check_interval = 250ms;  // inter, fastinter and downinter
  Duration check_timeout = 1s;      // timeout check
  int fall = 2;                     // failed checks before a server is marked down
  int rise = 1;                     // passed checks before it is marked up
  bool shutdown_sessions = true;    // on-marked-down shutdown-sessions
};

// PgBouncer 1.18, as the settings under test (PgBouncer's own defaults).
struct PgbouncerSettings {
  std::string pool_mode = "session";  // session | transaction
  std::string backend = "local";      // local: the host's own PostgreSQL; router: the read-write router endpoint
  Duration server_check_delay = 30s;  // how long a released server connection is trusted without a check
  Duration server_login_retry = 15s;  // after a failed login to the server, wait this long
  Duration server_connect_timeout = 15s;
  Duration query_wait_timeout = 120s;  // a client waiting for a server connection longer than this is dropped
};

// A virtual IP that keepalived (VRRPv3) floats over the hosts running it.
struct VipSpec {
  int host_number = 0;          // the VIP is the subnet's address number N (.100); 0: no VIP
  Duration advert_int = 100ms;  // VRRP advertisement interval; a backup takes over after about 3x it
  int virtual_router_id = 51;   // 1..255, unique on the network
  bool enabled() const { return host_number > 0; }
};

// Which links use TLS. Certificates and keys are made per run from a
// per-run CA (deploy/certificates.h), stored with mode 0600, never printed.
struct TlsSettings {
  bool etcd = false;         // etcd peers and clients with mutual TLS: a client certificate is required
  bool patroni_api = false;  // Patroni's REST API over HTTPS (HAProxy checks it with check-ssl)
  bool postgres = false;     // PostgreSQL ssl = on, hostssl only; clients use sslmode=verify-full with the CA
  bool any() const { return etcd || patroni_api || postgres; }
};

// A user's own complete template for a service's configuration file, in
// the template language of fixtures/ (core/template.h), or "" for ours.
struct ConfigTemplates {
  std::map<std::string, std::string> by_service;  // "haproxy" -> /abs/path/haproxy.cfg
};

// One service on one host: its kind and its ports by name ("client": 2379).
struct ServiceSpec {
  std::string kind;
  std::map<std::string, int> ports;
  int Port(const std::string& name) const;  // 0 when the service has no such port
};

struct HostSpec {
  std::string name;  // [a-z][a-z0-9]{0,7}: becomes part of resource names
  std::vector<ServiceSpec> services;
  bool Runs(const std::string& kind) const;
  const ServiceSpec* Service(const std::string& kind) const;
};

// Where clients connect. kReadWrite must reach the primary; kReadOnly a
// replica. The workload, health judgement and reports use these.
enum class EndpointRole { kReadWrite, kReadOnly };
// How: one service on one host; the VIP (served by the routers on the
// keepalived hosts); or a libpq multi-host string over every host running
// a service, with target_session_attrs read-write (read-only: prefer-standby).
enum class EndpointVia { kHost, kVip, kMultiHost };

struct EndpointSpec {
  EndpointRole role = EndpointRole::kReadWrite;
  EndpointVia via = EndpointVia::kHost;
  std::string host;       // kHost: the topology host that serves it
  std::string service;    // the service kind that serves it ("haproxy", "pgbouncer", "patroni")
  int port = 0;           // kHost, kVip: the port; kMultiHost: 0 (each host's own)
  std::string port_name;  // kMultiHost: which of the service's ports ("postgres", "pgbouncer")
  bool tls = false;       // clients connect with sslmode=verify-full (tls.postgres)
};

std::string EndpointRoleName(EndpointRole r);  // "read-write", "read-only"
std::string EndpointViaName(EndpointVia v);    // "host", "vip", "multi_host"

// Hosts get the subnet's addresses .10, .11, ... in their order; .1 is the
// provider's own (the bridge).
inline constexpr uint32_t kFirstHostNumber = 10;

struct Topology {
  std::string name;
  std::string source_file;
  std::string subnet = "10.77.0.0/24";  // gateway .1, hosts .10, .11, ...
  std::vector<HostSpec> hosts;
  std::vector<EndpointSpec> endpoints;  // at least a read-write one
  PatroniSettings patroni;
  HaproxySettings haproxy;
  PgbouncerSettings pgbouncer;
  VipSpec vip;
  TlsSettings tls;
  ConfigTemplates templates;
  Duration up_timeout = 90s;  // deadline for `up` to reach healthy
  uint64_t data_volume = 0;  // bytes; >0 puts each PostgreSQL data directory on its own volume of this size (disk_full)
  // What the volume is: "tmpfs", or "loop" (ext4 on a loop device, a block
  // device that io_throttle can slow; etcd's data moves onto it too).
  std::string data_device = "tmpfs";
  // "pgha": the durable file system (durablefs/) over each volume, whose
  // own cache of unsynced data a power cut drops; "" none. Needs data_volume.
  std::string data_fs;
  // "" when the settings are this file's (the harness configures the
  // cluster); else where they were read from a cluster the harness did not
  // configure ("Patroni's /config on node1"): only Patroni's are known then.
  std::string settings_from;

  std::vector<const HostSpec*> HostsRunning(const std::string& kind) const;
  const EndpointSpec* Endpoint(EndpointRole role) const;
  std::set<std::string> Kinds() const;  // every service kind some host runs
};

// Lookups shared by Topology and ClusterPlan (model/cluster_plan.h), whose
// hosts and endpoints have the same shape.
template <typename Host>
std::vector<const Host*> HostsRunningIn(const std::vector<Host>& hosts, const std::string& kind) {
  std::vector<const Host*> out;
  for (const auto& h : hosts)
    if (h.Runs(kind)) out.push_back(&h);
  return out;
}
template <typename Host>
std::set<std::string> KindsIn(const std::vector<Host>& hosts) {
  std::set<std::string> kinds;
  for (const auto& h : hosts)
    for (const auto& s : h.services) kinds.insert(s.kind);
  return kinds;
}
template <typename Endpoint>
const Endpoint* EndpointIn(const std::vector<Endpoint>& endpoints, EndpointRole role) {
  for (const auto& e : endpoints)
    if (e.role == role) return &e;
  return nullptr;
}

// Patroni's rule loop_wait + 2*retry_timeout <= ttl, which Patroni 3.0.2
// does not check itself: one warning per broken rule.
std::vector<std::string> PatroniTimingWarnings(const PatroniSettings& p);

// The settings under test as name/value pairs by group ("patroni" ->
// "ttl" -> "5s"), for cluster.json, result.json and the reports. These two
// functions (and DescribeWorkload in scenario/) are the one place settings
// are turned into data; values keep their JSON type (numbers, booleans).
using SettingGroup = std::map<std::string, nlohmann::json>;
using SettingsUnderTest = std::map<std::string, SettingGroup>;
SettingGroup DescribePatroni(const PatroniSettings& p);
SettingGroup DescribeHaproxy(const HaproxySettings& h);
// Every group that applies to the topology: patroni and haproxy always
// (the reports have shown both since format 1), pgbouncer, vip and tls
// where the topology has them.
SettingsUnderTest DescribeTopologySettings(const Topology& t);

}  // namespace pgha
