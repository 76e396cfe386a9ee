#include "model/cluster_plan.h"

#include <fmt/format.h>

#include "core/cidr.h"
#include "core/files.h"

namespace pgha {
using nlohmann::json;

bool HostPlan::Runs(const std::string& kind) const {
  for (const auto& s : services)
    if (s.kind == kind) return true;
  return false;
}

int HostPlan::Port(const std::string& kind, const std::string& name) const {
  for (const auto& s : services)
    if (s.kind == kind) return s.Port(name);
  return 0;
}

std::string DataVolumeDir(const HostPlan& h) { return h.dir + "/volume"; }
std::string PostgresDataDir(const HostPlan& h) {
  return h.data_volume > 0 ? DataVolumeDir(h) + "/pgdata" : h.dir + "/pgdata";
}

std::string EndpointPlan::Describe() const {
  return fmt::format("{} {}:{} ({} on {}{})", EndpointRoleName(role), address, port, service, host, tls ? ", TLS" : "");
}

const HostPlan* ClusterPlan::Find(const std::string& host) const {
  for (const auto& h : hosts)
    if (h.name == host) return &h;
  return nullptr;
}

std::vector<const HostPlan*> ClusterPlan::HostsRunning(const std::string& kind) const {
  return HostsRunningIn(hosts, kind);
}

const EndpointPlan* ClusterPlan::Endpoint(EndpointRole role) const { return EndpointIn(endpoints, role); }

std::set<std::string> ClusterPlan::Kinds() const { return KindsIn(hosts); }

Secrets Secrets::Generate() { return {RandomHex(16), RandomHex(16), RandomHex(16)}; }

Result<ClusterPlan> MakePlan(const Topology& t, const std::string& run_id, const std::string& workdir,
                             const std::string& provider) {
  auto subnet = ParseSubnet(t.subnet);
  if (!subnet.ok()) return subnet.status();
  ClusterPlan p;
  p.run_id = run_id;
  p.run_dir = workdir + "/runs/" + run_id;
  p.provider = provider;
  p.gateway = subnet->Address(1);
  p.subnet = subnet->ToString();
  p.prefix = subnet->prefix;
  p.scope = "pgha-" + run_id;
  p.topology_name = t.name;
  p.topology_file = t.source_file;
  p.settings = {{"patroni", DescribePatroni(t.patroni)}, {"haproxy", DescribeHaproxy(t.haproxy)}};
  int index = 0;
  for (const auto& h : t.hosts) {
    HostPlan n;
    n.name = h.name;
    n.index = index;
    n.address = subnet->Address(10 + static_cast<uint32_t>(index));
    n.dir = p.run_dir + "/" + h.name;
    n.services = h.services;
    n.data_volume = h.Runs("patroni") ? t.data_volume : 0;
    p.hosts.push_back(n);
    ++index;
  }
  for (const auto& e : t.endpoints) {
    const HostPlan* host = p.Find(e.host);
    if (!host)
      return InvalidInput(fmt::format("endpoint {} names host \"{}\", which the topology does not have",
                                      EndpointRoleName(e.role), e.host));
    p.endpoints.push_back({e.role, e.host, e.service, host->address, e.port, e.tls});
  }
  return p;
}

namespace {

json HostToJson(const HostPlan& h) {
  json services = json::array();
  for (const auto& s : h.services) services.push_back({{"kind", s.kind}, {"ports", s.ports}});
  return {{"host", h.name}, {"index", h.index},     {"address", h.address},        {"scope", h.scope},
          {"dir", h.dir},   {"services", services}, {"data_volume", h.data_volume}};
}

HostPlan HostFromJson(const json& j) {
  HostPlan h;
  h.name = j.at("host");
  h.index = j.at("index");
  h.address = j.at("address");
  h.dir = j.at("dir");
  h.scope = j.value("scope", "");
  h.data_volume = j.value("data_volume", uint64_t{0});
  for (const auto& s : j.at("services")) h.services.push_back({s.at("kind"), s.at("ports")});
  return h;
}

}  // namespace

json PlanToJson(const ClusterPlan& p) {
  json hosts = json::array();
  for (const auto& h : p.hosts) hosts.push_back(HostToJson(h));
  json endpoints = json::array();
  for (const auto& e : p.endpoints)
    endpoints.push_back({{"role", EndpointRoleName(e.role)},
                         {"host", e.host},
                         {"service", e.service},
                         {"address", e.address},
                         {"port", e.port},
                         {"tls", e.tls}});
  return json{{"format", 2},
              {"run_id", p.run_id},
              {"run_dir", p.run_dir},
              {"provider", p.provider},
              {"subnet", p.subnet},
              {"prefix", p.prefix},
              {"gateway", p.gateway},
              {"scope", p.scope},
              {"topology", p.topology_name},
              {"topology_file", p.topology_file},
              {"hosts", hosts},
              {"endpoints", endpoints},
              {"settings", p.settings}};
}

Result<ClusterPlan> PlanFromJson(const json& j) {
  try {
    if (j.value("format", 0) != 2)
      return Failed("cluster.json was written by an older pgha-chaos; `pgha-chaos cleanup` removes that cluster");
    ClusterPlan p;
    p.run_id = j.at("run_id");
    p.run_dir = j.at("run_dir");
    p.provider = j.at("provider");
    p.subnet = j.at("subnet");
    p.prefix = j.at("prefix");
    p.gateway = j.at("gateway");
    p.scope = j.at("scope");
    p.topology_name = j.value("topology", "");
    p.topology_file = j.value("topology_file", "");
    for (const auto& h : j.at("hosts")) p.hosts.push_back(HostFromJson(h));
    for (const auto& e : j.at("endpoints"))
      p.endpoints.push_back({e.at("role") == "read-only" ? EndpointRole::kReadOnly : EndpointRole::kReadWrite,
                             e.at("host"), e.at("service"), e.at("address"), e.at("port"), e.value("tls", false)});
    p.settings = j.value("settings", SettingsUnderTest{});
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
