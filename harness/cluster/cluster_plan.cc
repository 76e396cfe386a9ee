#include "cluster/cluster_plan.h"

#include <fmt/format.h>

#include "cluster/cidr.h"
#include "core/files.h"
#include "scenario/units.h"

namespace pgha {
using nlohmann::json;

const NodePlan* ClusterPlan::Find(const std::string& host) const {
  for (const auto& n : nodes)
    if (n.host == host) return &n;
  return nullptr;
}

const NodePlan* ClusterPlan::Haproxy() const {
  for (const auto& n : nodes)
    if (n.haproxy) return &n;
  return nullptr;
}

std::vector<const NodePlan*> ClusterPlan::EtcdNodes() const {
  std::vector<const NodePlan*> out;
  for (const auto& n : nodes)
    if (n.etcd) out.push_back(&n);
  return out;
}

std::vector<const NodePlan*> ClusterPlan::PatroniNodes() const {
  std::vector<const NodePlan*> out;
  for (const auto& n : nodes)
    if (n.patroni) out.push_back(&n);
  return out;
}

Secrets Secrets::Generate() { return {RandomHex(16), RandomHex(16), RandomHex(16)}; }

Result<ClusterPlan> MakePlan(const Topology& t, const std::string& run_id, const std::string& workdir) {
  auto subnet = ParseSubnet(t.subnet);
  if (!subnet.ok()) return subnet.status();
  ClusterPlan p;
  p.run_id = run_id;
  p.run_dir = workdir + "/runs/" + run_id;
  p.bridge = "pgc" + run_id + "br";
  p.bridge_address = subnet->Address(1);
  p.subnet = subnet->ToString();
  p.prefix = subnet->prefix;
  p.scope = "pgha-" + run_id;
  p.topology = t;
  uint32_t index = 0;
  for (const auto& h : t.hosts) {
    NodePlan n;
    n.host = h.name;
    n.netns = fmt::format("pgc-{}-{}", run_id, h.name);
    n.veth = fmt::format("pgc{}v{}", run_id, index);
    n.address = subnet->Address(10 + index);
    n.dir = p.run_dir + "/" + h.name;
    n.etcd = h.Has(HostRole::kEtcd);
    n.patroni = h.Has(HostRole::kPatroni);
    n.haproxy = h.Has(HostRole::kHaproxy);
    n.data_volume = n.patroni ? t.data_volume : 0;
    p.nodes.push_back(n);
    ++index;
  }
  return p;
}

namespace {

json SettingsToJson(const Topology& t) {
  const auto& p = t.patroni;
  const auto& h = t.haproxy;
  return json{{"patroni",
               {{"ttl", FormatDuration(p.ttl)},
                {"loop_wait", FormatDuration(p.loop_wait)},
                {"retry_timeout", FormatDuration(p.retry_timeout)},
                {"maximum_lag_on_failover", p.maximum_lag_on_failover},
                {"synchronous_mode", p.synchronous_mode},
                {"synchronous_mode_strict", p.synchronous_mode_strict},
                {"use_pg_rewind", p.use_pg_rewind},
                {"postgresql_parameters", p.postgresql_parameters}}},
              {"haproxy",
               {{"check_interval", FormatDuration(h.check_interval)},
                {"check_timeout", FormatDuration(h.check_timeout)},
                {"fall", h.fall},
                {"rise", h.rise},
                {"shutdown_sessions", h.shutdown_sessions}}}};
}

Duration DurationOr(const json& j, const char* key, Duration fallback) {
  if (!j.contains(key)) return fallback;
  auto d = ParseDuration(j.at(key).get<std::string>());
  return d.ok() ? *d : fallback;
}

}  // namespace

json PlanToJson(const ClusterPlan& p) {
  json nodes = json::array();
  for (const auto& n : p.nodes)
    nodes.push_back({{"host", n.host}, {"netns", n.netns}, {"veth", n.veth}, {"address", n.address}, {"dir", n.dir},
                     {"etcd", n.etcd}, {"patroni", n.patroni}, {"haproxy", n.haproxy}, {"data_volume", n.data_volume}});
  json j{{"format", 1},           {"run_id", p.run_id}, {"run_dir", p.run_dir}, {"bridge", p.bridge},
         {"bridge_address", p.bridge_address}, {"subnet", p.subnet}, {"prefix", p.prefix}, {"scope", p.scope},
         {"topology", p.topology.name}, {"topology_file", p.topology.source_file}, {"nodes", nodes}};
  j["settings"] = SettingsToJson(p.topology);
  return j;
}

Result<ClusterPlan> PlanFromJson(const json& j) {
  try {
    ClusterPlan p;
    p.run_id = j.at("run_id");
    p.run_dir = j.at("run_dir");
    p.bridge = j.at("bridge");
    p.bridge_address = j.at("bridge_address");
    p.subnet = j.at("subnet");
    p.prefix = j.at("prefix");
    p.scope = j.at("scope");
    p.topology.name = j.value("topology", "");
    p.topology.source_file = j.value("topology_file", "");
    p.topology.subnet = p.subnet;
    for (const auto& n : j.at("nodes")) {
      NodePlan node{n.at("host"), n.at("netns"), n.at("veth"), n.at("address"), n.at("dir"),
                    n.at("etcd"),  n.at("patroni"), n.at("haproxy")};
      node.data_volume = n.value("data_volume", uint64_t{0});
      p.nodes.push_back(node);
      HostSpec h{node.host, {}};
      if (node.etcd) h.roles.push_back(HostRole::kEtcd);
      if (node.patroni) h.roles.push_back(HostRole::kPatroni);
      if (node.haproxy) h.roles.push_back(HostRole::kHaproxy);
      p.topology.hosts.push_back(h);
    }
    if (j.contains("settings")) {
      const auto& pj = j["settings"].at("patroni");
      auto& ps = p.topology.patroni;
      ps.ttl = DurationOr(pj, "ttl", ps.ttl);
      ps.loop_wait = DurationOr(pj, "loop_wait", ps.loop_wait);
      ps.retry_timeout = DurationOr(pj, "retry_timeout", ps.retry_timeout);
      ps.maximum_lag_on_failover = pj.value("maximum_lag_on_failover", ps.maximum_lag_on_failover);
      ps.synchronous_mode = pj.value("synchronous_mode", ps.synchronous_mode);
      ps.synchronous_mode_strict = pj.value("synchronous_mode_strict", ps.synchronous_mode_strict);
      ps.use_pg_rewind = pj.value("use_pg_rewind", ps.use_pg_rewind);
      ps.postgresql_parameters = pj.value("postgresql_parameters", ps.postgresql_parameters);
      const auto& hj = j["settings"].at("haproxy");
      auto& hs = p.topology.haproxy;
      hs.check_interval = DurationOr(hj, "check_interval", hs.check_interval);
      hs.check_timeout = DurationOr(hj, "check_timeout", hs.check_timeout);
      hs.fall = hj.value("fall", hs.fall);
      hs.rise = hj.value("rise", hs.rise);
      hs.shutdown_sessions = hj.value("shutdown_sessions", hs.shutdown_sessions);
    }
    return p;
  } catch (const json::exception& e) {
    return Failed(std::string("cluster.json is damaged: ") + e.what());
  }
}

json SecretsToJson(const Secrets& s) {
  return json{{"superuser_password", s.superuser_password},
              {"replication_password", s.replication_password},
              {"rewind_password", s.rewind_password}};
}

Result<Secrets> SecretsFromJson(const json& j) {
  try {
    return Secrets{j.at("superuser_password"), j.at("replication_password"), j.at("rewind_password")};
  } catch (const json::exception& e) {
    return Failed(std::string("secrets.json is damaged: ") + e.what());
  }
}

namespace {
Result<json> ReadJsonFile(const std::string& path) {
  auto text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  auto j = json::parse(*text, nullptr, false);
  if (j.is_discarded()) return Failed(path + " is not valid JSON");
  return j;
}
}  // namespace

Result<ClusterPlan> LoadPlan(const std::string& run_dir) {
  auto j = ReadJsonFile(run_dir + "/cluster.json");
  if (!j.ok()) return j.status();
  return PlanFromJson(*j);
}

Result<Secrets> LoadSecrets(const std::string& run_dir) {
  auto j = ReadJsonFile(run_dir + "/secrets.json");
  if (!j.ok()) return j.status();
  return SecretsFromJson(*j);
}

}  // namespace pgha
