// ClusterPlan: the concrete shape of one run's cluster, derived from a
// Topology: the run's id and folder, each host's address and folder, the
// services on each host with their ports, and the endpoints resolved to
// addresses. Pure: MakePlan only computes; a provider creates the hosts,
// deploy/ starts the services. What a provider calls its own resources
// (namespaces, containers) it derives from the run id and host index.
//
// The plan is saved as <run_dir>/cluster.json so that `status`, `down` and
// the scenario runner work from what was actually built. Secrets (database
// passwords) live apart in secrets.json, mode 0600, and are never printed.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/status.h"
#include "model/topology.h"

namespace pgha {

struct HostPlan {
  std::string name;     // topology name, e.g. "node1"
  int index = 0;        // position in the topology: hosts get .10 + index
  std::string address;  // how the harness and the other hosts reach it
  std::string scope;    // the provider's own name for the host (a namespace, a container); see Provider::Place
  std::string interface = "eth0";  // the host's network interface (Provider::Place): keepalived puts the VIP on it
  std::string dir;                 // <run_dir>/<host>: configs, logs and data of its services
  std::vector<ServiceSpec> services;
  uint64_t data_volume = 0;           // bytes of the volume under the PostgreSQL data directory; 0: on disk
  std::string data_device = "tmpfs";  // the volume: "tmpfs", or "loop" (ext4 on a loop device; etcd's data on it too)
  std::string data_dir;               // PGDATA where the provider found it (ssh: the host's own); "" below `dir`
  std::string data_fs;  // "pgha": the durable file system over the volume (etcd's data on it too); "" none

  bool Runs(const std::string& kind) const;
  // The port `name` of service `kind` on this host (0 when absent).
  int Port(const std::string& kind, const std::string& name) const;
};

// Paths on a host, shared by the services that write them and the faults
// that break them.
std::string DataVolumeDir(const HostPlan& h);    // the volume mounted for the data directory (ssh: PGDATA's parent)
std::string PostgresDataDir(const HostPlan& h);  // PGDATA
// With data_fs: the volume itself, which the durable file system mounts on DataVolumeDir; else DataVolumeDir.
std::string VolumeMountDir(const HostPlan& h);
std::string DurableFsControl(const HostPlan& h);  // the durable file system's control socket
std::string DurableFsDaemon(const HostPlan& h);   // its daemon's label in the manifest: "durable-fs@node1"

// One address a client of an endpoint connects to.
struct ServerAddress {
  std::string host;  // the topology host ("" for a VIP)
  std::string address;
  int port = 0;
};

struct EndpointPlan {
  EndpointRole role = EndpointRole::kReadWrite;
  EndpointVia via = EndpointVia::kHost;
  std::string service;                 // the kind that serves it
  std::vector<ServerAddress> servers;  // kHost and kVip: one; kMultiHost: every host running the service, in order
  bool tls = false;                    // sslmode=verify-full against the run's CA
  // libpq's target_session_attrs: kMultiHost read-write (read-only:
  // prefer-standby); "" otherwise (the router picks the server).
  std::string TargetSessionAttrs() const;
  // "read-write 10.77.0.13:5000 (haproxy on lb)", "read-write 10.77.0.100:5000 (VIP over haproxy on lb1, lb2)",
  // "read-write 10.77.0.10:5432,10.77.0.11:5432 (patroni, target_session_attrs=read-write)"
  std::string Describe() const;
  std::string Where() const;  // "10.77.0.13:5000" or "10.77.0.10:5432,10.77.0.11:5432"
};

// The run's TLS: which links use it, and where the harness's own copies of
// the CA certificate and its client certificate and key live (mode 0600).
struct TlsPlan {
  TlsSettings links;
  std::string dir;  // <run_dir>/tls on this machine; "" without TLS
  std::string CaFile() const { return dir + "/ca.crt"; }
  std::string ClientCert() const { return dir + "/client.crt"; }
  std::string ClientKey() const { return dir + "/client.key"; }
};

// Where a host keeps its own certificates (written by deploy/, owned by the
// services' user): ca.crt, server.crt, server.key.
std::string HostTlsDir(const HostPlan& h);

struct ClusterPlan {
  std::string run_id;   // 6 hex characters
  std::string run_dir;  // <workdir>/runs/<run_id>
  // <workdir>/cache: what runs reuse and never write a run's data into (the
  // data directories initdb made, services/initdb_cache.h). Used only when
  // the provider's hosts see it at this same path (hosts_share_cache).
  std::string cache_dir;
  bool hosts_share_cache = false;
  std::string provider;  // which provider built it ("netns")
  std::string subnet;    // "10.77.0.0/24"
  int prefix = 24;
  std::string gateway;  // .1 of the subnet: the provider's side of the hosts' network
  std::string scope;    // Patroni cluster name
  std::vector<HostPlan> hosts;
  std::vector<EndpointPlan> endpoints;
  std::string vip;  // the VIP's address, "" without one
  TlsPlan tls;
  std::string topology_name;
  std::string topology_file;
  SettingsUnderTest settings;  // what the services were configured with (for the record)
  // Processes ("patroni", "postgres", "haproxy", "pgbouncer") that run with
  // libfaketime preloaded on every host that has them, for the scenario's
  // clock faults (services/faked_clock.h); empty: none.
  std::vector<std::string> faked_clocks;

  const HostPlan* Find(const std::string& host) const;
  std::vector<const HostPlan*> HostsRunning(const std::string& kind) const;
  const EndpointPlan* Endpoint(EndpointRole role) const;
  std::set<std::string> Kinds() const;  // every service kind some host runs
};

struct Secrets {
  std::string superuser_password;
  std::string replication_password;
  std::string rewind_password;
  static Secrets Generate();
};

// Fails only when the topology's subnet does not parse (validated earlier)
// or an endpoint names a host that does not exist.
Result<ClusterPlan> MakePlan(const Topology& topology, const std::string& run_id, const std::string& workdir,
                             const std::string& provider);

nlohmann::json PlanToJson(const ClusterPlan& plan);
Result<ClusterPlan> PlanFromJson(const nlohmann::json& j);
nlohmann::json SecretsToJson(const Secrets& s);
Result<Secrets> SecretsFromJson(const nlohmann::json& j);

// Hosts whose provider cannot run the durable file system keep their volumes without it.
void WithoutDurableFs(ClusterPlan* plan);

// Loads <run_dir>/cluster.json and secrets.json.
Result<ClusterPlan> LoadPlan(const std::string& run_dir);
Result<Secrets> LoadSecrets(const std::string& run_dir);

}  // namespace pgha
