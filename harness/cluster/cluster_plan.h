// ClusterPlan: the concrete shape of one run's cluster, derived from a
// Topology (names of namespaces, links and directories, addresses, ports).
// Pure: MakePlan only computes; the provider creates what it names.
//
// The plan is saved as <run_dir>/cluster.json so that `status`, `down` and
// the scenario runner work from what was actually built. Secrets (database
// passwords) live apart in secrets.json, mode 0600, and are never printed.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cluster/topology.h"
#include "core/status.h"

namespace pgha {

constexpr int kPostgresPort = 5432;
constexpr int kPatroniPort = 8008;
constexpr int kEtcdClientPort = 2379;
constexpr int kEtcdPeerPort = 2380;
constexpr int kPrimaryPort = 5000;
constexpr int kReplicaPort = 5001;
constexpr int kStatsPort = 7000;

struct NodePlan {
  std::string host;      // topology name, e.g. "node1"
  std::string netns;     // "pgc-<run>-node1"
  std::string veth;      // host side of the veth pair, "pgc<run>v1"
  std::string address;   // inside the namespace, on eth0
  std::string dir;       // <run_dir>/<host>
  bool etcd = false;
  bool patroni = false;
  bool haproxy = false;
  uint64_t data_volume = 0;  // bytes of the tmpfs under the data directory; 0: on disk
};

struct ClusterPlan {
  std::string run_id;        // 6 hex characters
  std::string run_dir;       // <workdir>/runs/<run_id>
  std::string bridge;        // "pgc<run>br"
  std::string bridge_address;
  std::string subnet;        // "10.77.0.0/24"
  int prefix = 24;
  std::string scope;         // Patroni cluster name
  std::vector<NodePlan> nodes;
  Topology topology;

  const NodePlan* Find(const std::string& host) const;
  const NodePlan* Haproxy() const;
  std::vector<const NodePlan*> EtcdNodes() const;
  std::vector<const NodePlan*> PatroniNodes() const;
};

struct Secrets {
  std::string superuser_password;
  std::string replication_password;
  std::string rewind_password;
  static Secrets Generate();
};

// Fails only when the topology's subnet does not parse (validated earlier).
Result<ClusterPlan> MakePlan(const Topology& topology, const std::string& run_id, const std::string& workdir);

nlohmann::json PlanToJson(const ClusterPlan& plan);
Result<ClusterPlan> PlanFromJson(const nlohmann::json& j);
nlohmann::json SecretsToJson(const Secrets& s);
Result<Secrets> SecretsFromJson(const nlohmann::json& j);

// Loads <run_dir>/cluster.json and secrets.json.
Result<ClusterPlan> LoadPlan(const std::string& run_dir);
Result<Secrets> LoadSecrets(const std::string& run_dir);

}  // namespace pgha
