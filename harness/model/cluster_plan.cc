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

std::string DataVolumeDir(const HostPlan& h) {
  if (!h.data_dir.empty()) return h.data_dir.substr(0, h.data_dir.rfind('/'));
  return h.dir + "/volume";
}
std::string PostgresDataDir(const HostPlan& h) {
  if (!h.data_dir.empty()) return h.data_dir;
  return h.data_volume > 0 ? DataVolumeDir(h) + "/pgdata" : h.dir + "/pgdata";
}

std::string VolumeMountDir(const HostPlan& h) { return h.data_fs.empty() ? DataVolumeDir(h) : h.dir + "/volume-disk"; }
std::string DurableFsControl(const HostPlan& h) { return h.dir + "/durable-fs.sock"; }
std::string DurableFsDaemon(const HostPlan& h) { return "durable-fs@" + h.name; }

void WithoutDurableFs(ClusterPlan* plan) {
  for (auto& h : plan->hosts) h.data_fs.clear();
}

std::string HostTlsDir(const HostPlan& h) { return h.dir + "/tls"; }

std::string EndpointPlan::TargetSessionAttrs() const {
  if (via != EndpointVia::kMultiHost) return "";
  return role == EndpointRole::kReadWrite ? "read-write" : "prefer-standby";
}

std::string EndpointPlan::Where() const {
  std::vector<std::string> parts;
  for (const auto& s : servers) parts.push_back(fmt::format("{}:{}", s.address, s.port));
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ",") + p;
  return out;
}

std::string EndpointPlan::Describe() const {
  const std::string tls_note = tls ? ", TLS verify-full" : "";
  if (via == EndpointVia::kMultiHost)
    return fmt::format("{} {} ({}, target_session_attrs={}{})", EndpointRoleName(role), Where(), service,
                       TargetSessionAttrs(), tls_note);
  if (via == EndpointVia::kVip)
    return fmt::format("{} {} (VIP over {}{})", EndpointRoleName(role), Where(), service, tls_note);
  return fmt::format("{} {} ({} on {}{})", EndpointRoleName(role), Where(), service,
                     servers.empty() ? "" : servers[0].host, tls_note);
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

namespace {

Result<EndpointPlan> PlanEndpoint(const ClusterPlan& p, const EndpointSpec& e) {
  EndpointPlan out;
  out.role = e.role;
  out.via = e.via;
  out.service = e.service;
  out.tls = e.tls;
  if (e.via == EndpointVia::kVip) {
    if (p.vip.empty()) return InvalidInput("an endpoint uses the VIP, but the topology has no vip");
    out.servers.push_back({"", p.vip, e.port});
    return out;
  }
  if (e.via == EndpointVia::kMultiHost) {
    for (const auto* h : p.HostsRunning(e.service))
      out.servers.push_back({h->name, h->address, h->Port(e.service, e.port_name)});
    if (out.servers.empty())
      return InvalidInput(fmt::format("endpoint {}: no host runs {}", EndpointRoleName(e.role), e.service));
    return out;
  }
  const HostPlan* host = p.Find(e.host);
  if (!host)
    return InvalidInput(fmt::format("endpoint {} names host \"{}\", which the topology does not have",
                                    EndpointRoleName(e.role), e.host));
  out.servers.push_back({host->name, host->address, e.port});
  return out;
}

}  // namespace

Result<ClusterPlan> MakePlan(const Topology& t, const std::string& run_id, const std::string& workdir,
                             const std::string& provider) {
  auto subnet = ParseSubnet(t.subnet);
  if (!subnet.ok()) return subnet.status();
  ClusterPlan p;
  p.run_id = run_id;
  p.run_dir = workdir + "/runs/" + run_id;
  p.cache_dir = workdir + "/cache";
  p.provider = provider;
  p.gateway = subnet->Address(1);
  p.subnet = subnet->ToString();
  p.prefix = subnet->prefix;
  p.scope = "pgha-" + run_id;
  p.topology_name = t.name;
  p.topology_file = t.source_file;
  p.settings = DescribeTopologySettings(t);
  if (t.vip.enabled()) {
    if (static_cast<uint64_t>(t.vip.host_number) + 1 >= subnet->Size())
      return InvalidInput(fmt::format("the VIP's number {} is outside subnet {}", t.vip.host_number, p.subnet));
    p.vip = subnet->Address(static_cast<uint32_t>(t.vip.host_number));
  }
  if (t.tls.any()) p.tls = {t.tls, p.run_dir + "/tls"};
  int index = 0;
  for (const auto& h : t.hosts) {
    HostPlan n;
    n.name = h.name;
    n.index = index;
    n.address = subnet->Address(kFirstHostNumber + static_cast<uint32_t>(index));
    n.dir = p.run_dir + "/" + h.name;
    n.services = h.services;
    // The emulated watchdog is part of every Patroni host, before Patroni.
    if (h.Runs("patroni") && t.patroni.watchdog == "emulated" && !h.Runs("watchdog"))
      n.services.push_back({"watchdog", {}});
    // A loop volume is a block device io_throttle slows: etcd's hosts get one too.
    const bool volume = h.Runs("patroni") || ((t.data_device == "loop" || !t.data_fs.empty()) && h.Runs("etcd"));
    n.data_volume = volume ? t.data_volume : 0;
    n.data_device = t.data_device;
    if (volume && t.data_volume > 0) n.data_fs = t.data_fs;
    if (p.vip == n.address) return InvalidInput(fmt::format("the VIP {} is host {}'s address", p.vip, h.name));
    p.hosts.push_back(n);
    ++index;
  }
  for (const auto& e : t.endpoints) {
    auto planned = PlanEndpoint(p, e);
    if (!planned.ok()) return planned.status();
    p.endpoints.push_back(*planned);
  }
  return p;
}

namespace {

json HostToJson(const HostPlan& h) {
  json services = json::array();
  for (const auto& s : h.services) services.push_back({{"kind", s.kind}, {"ports", s.ports}});
  return {{"host", h.name},
          {"index", h.index},
          {"address", h.address},
          {"scope", h.scope},
          {"dir", h.dir},
          {"services", services},
          {"data_volume", h.data_volume},
          {"interface", h.interface},
          {"data_dir", h.data_dir},
          {"data_device", h.data_device},
          {"data_fs", h.data_fs}};
}

HostPlan HostFromJson(const json& j) {
  HostPlan h;
  h.name = j.at("host");
  h.index = j.at("index");
  h.address = j.at("address");
  h.dir = j.at("dir");
  h.scope = j.value("scope", "");
  h.data_volume = j.value("data_volume", uint64_t{0});
  h.interface = j.value("interface", "eth0");
  h.data_dir = j.value("data_dir", "");
  h.data_device = j.value("data_device", "tmpfs");
  h.data_fs = j.value("data_fs", "");
  for (const auto& s : j.at("services")) h.services.push_back({s.at("kind"), s.at("ports")});
  return h;
}

}  // namespace

json PlanToJson(const ClusterPlan& p) {
  json hosts = json::array();
  for (const auto& h : p.hosts) hosts.push_back(HostToJson(h));
  json endpoints = json::array();
  for (const auto& e : p.endpoints) {
    json servers = json::array();
    for (const auto& s : e.servers) servers.push_back({{"host", s.host}, {"address", s.address}, {"port", s.port}});
    endpoints.push_back({{"role", EndpointRoleName(e.role)},
                         {"via", EndpointViaName(e.via)},
                         {"service", e.service},
                         {"servers", servers},
                         {"tls", e.tls}});
  }
  json tls = {{"etcd", p.tls.links.etcd},
              {"patroni_api", p.tls.links.patroni_api},
              {"postgres", p.tls.links.postgres},
              {"dir", p.tls.dir}};
  return json{{"format", 3},
              {"vip", p.vip},
              {"tls", tls},
              {"run_id", p.run_id},
              {"run_dir", p.run_dir},
              {"cache_dir", p.cache_dir},
              {"hosts_share_cache", p.hosts_share_cache},
              {"provider", p.provider},
              {"subnet", p.subnet},
              {"prefix", p.prefix},
              {"gateway", p.gateway},
              {"scope", p.scope},
              {"topology", p.topology_name},
              {"topology_file", p.topology_file},
              {"hosts", hosts},
              {"endpoints", endpoints},
              {"settings", p.settings},
              {"faked_clocks", p.faked_clocks}};
}

Result<ClusterPlan> PlanFromJson(const json& j) {
  try {
    if (j.value("format", 0) != 3)
      return Failed("cluster.json was written by an older pgha-chaos; `pgha-chaos cleanup` removes that cluster");
    ClusterPlan p;
    p.run_id = j.at("run_id");
    p.run_dir = j.at("run_dir");
    p.cache_dir = j.value("cache_dir", "");
    p.hosts_share_cache = j.value("hosts_share_cache", false);
    p.provider = j.at("provider");
    p.subnet = j.at("subnet");
    p.prefix = j.at("prefix");
    p.gateway = j.at("gateway");
    p.scope = j.at("scope");
    p.topology_name = j.value("topology", "");
    p.topology_file = j.value("topology_file", "");
    p.faked_clocks = j.value("faked_clocks", std::vector<std::string>{});
    for (const auto& h : j.at("hosts")) p.hosts.push_back(HostFromJson(h));
    for (const auto& e : j.at("endpoints")) {
      EndpointPlan ep;
      ep.role = e.at("role") == "read-only" ? EndpointRole::kReadOnly : EndpointRole::kReadWrite;
      const std::string via = e.at("via");
      ep.via = via == "vip" ? EndpointVia::kVip : via == "multi_host" ? EndpointVia::kMultiHost : EndpointVia::kHost;
      ep.service = e.at("service");
      for (const auto& s : e.at("servers")) ep.servers.push_back({s.at("host"), s.at("address"), s.at("port")});
      ep.tls = e.value("tls", false);
      p.endpoints.push_back(ep);
    }
    p.vip = j.value("vip", "");
    if (const auto t = j.find("tls"); t != j.end())
      p.tls = {{t->value("etcd", false), t->value("patroni_api", false), t->value("postgres", false)},
               t->value("dir", "")};
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
