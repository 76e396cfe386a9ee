// Topology: the shape of a cluster as plain data. Hosts run services
// (etcd, patroni, haproxy, ... : the kinds services/registry.h knows), each
// with its ports; the topology names its endpoints, the addresses clients
// use (read-write, read-only), and carries the settings under test
// (Patroni DCS timings, HAProxy check timings). Defaults are the reference
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
};

struct HaproxySettings {
  Duration check_interval = 250ms;  // inter, fastinter and downinter
  Duration check_timeout = 1s;      // timeout check
  int fall = 2;                     // failed checks before a server is marked down
  int rise = 1;                     // passed checks before it is marked up
  bool shutdown_sessions = true;    // on-marked-down shutdown-sessions
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

struct EndpointSpec {
  EndpointRole role = EndpointRole::kReadWrite;
  std::string host;     // the topology host that serves it
  std::string service;  // the service on that host that serves it ("haproxy")
  int port = 0;
  bool tls = false;  // clients connect with TLS
};

std::string EndpointRoleName(EndpointRole r);  // "read-write", "read-only"

struct Topology {
  std::string name;
  std::string source_file;
  std::string subnet = "10.77.0.0/24";  // gateway .1, hosts .10, .11, ...
  std::vector<HostSpec> hosts;
  std::vector<EndpointSpec> endpoints;  // at least a read-write one
  PatroniSettings patroni;
  HaproxySettings haproxy;
  Duration up_timeout = 90s;  // deadline for `up` to reach healthy
  uint64_t data_volume = 0;  // bytes; >0 puts each PostgreSQL data directory on its own volume of this size (disk_full)

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

}  // namespace pgha
