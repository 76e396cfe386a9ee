#include "scenario/inventory_loader.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netdb.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "core/cidr.h"
#include "core/files.h"
#include "core/text.h"
#include "core/yaml_reader.h"
#include "scenario/topology_loader.h"
#include "services/registry.h"

namespace pgha {
namespace fs = std::filesystem;

namespace {

using Vars = std::map<std::string, YAML::Node>;

const std::set<std::string> kHarnessVars = {"pgha_interface", "pgha_units", "pgha_ports", "pgha_tls_dir"};

struct HostEntry {
  std::string name;
  YAML::Mark mark;
  std::vector<std::string> groups;
  Vars group_vars;  // merged in the order groups are met: a child after its parent
  Vars host_vars;
  Vars Merged() const {
    Vars v = group_vars;
    for (const auto& [k, n] : host_vars) v[k] = n;
    return v;
  }
};

class InventoryReader {
 public:
  InventoryReader(std::string file, Diagnostics* d) : file_(std::move(file)), d_(d) {}

  void Group(const YAML::Node& node, const std::string& name, Vars vars) {
    if (node.IsNull()) return;
    if (!node.IsMap())
      return d_->Error(file_, node.Mark(), "group " + name + " must be a map of vars, hosts, children");
    if (auto v = node["vars"]; v && v.IsMap())
      for (const auto& kv : v) vars[kv.first.Scalar()] = kv.second;
    if (auto hosts = node["hosts"]; hosts && hosts.IsMap())
      for (const auto& kv : hosts) AddHost(kv.first, kv.second, name, vars);
    if (auto children = node["children"]; children && children.IsMap())
      for (const auto& kv : children) Group(kv.second, kv.first.Scalar(), vars);
    for (const auto& kv : node)
      if (kv.first.Scalar() != "vars" && kv.first.Scalar() != "hosts" && kv.first.Scalar() != "children")
        d_->Error(file_, kv.first.Mark(),
                  fmt::format("group {}: unknown key \"{}\" (a group has vars, hosts and children)", name,
                              kv.first.Scalar()));
  }

  std::vector<HostEntry>& hosts() { return hosts_; }

 private:
  void AddHost(const YAML::Node& key, const YAML::Node& value, const std::string& group, const Vars& vars) {
    HostEntry* h = nullptr;
    for (auto& e : hosts_)
      if (e.name == key.Scalar()) h = &e;
    if (!h) {
      hosts_.push_back({key.Scalar(), key.Mark(), {}, {}, {}});
      h = &hosts_.back();
    }
    h->groups.push_back(group);
    for (const auto& [k, n] : vars) h->group_vars[k] = n;
    if (value.IsMap())
      for (const auto& kv : value) h->host_vars[kv.first.Scalar()] = kv.second;
    else if (!value.IsNull())
      d_->Error(file_, value.Mark(), "host " + key.Scalar() + ": its value must be a map of variables or empty");
  }

  std::string file_;
  Diagnostics* d_;
  std::vector<HostEntry> hosts_;
};

bool IsIpv4(const std::string& text) {
  in_addr a{};
  return inet_pton(AF_INET, text.c_str(), &a) == 1;
}

// RFC 1123 labels: letters, digits and inner hyphens, joined by dots.
bool IsHostName(const std::string& name) {
  static const std::regex kName(
      "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
  return name.size() <= 253 && std::regex_match(name, kName);
}

}  // namespace

std::string SystemResolve(const std::string& name) {
  if (IsIpv4(name)) return name;
  addrinfo hints{};
  hints.ai_family = AF_INET;
  addrinfo* res = nullptr;
  if (getaddrinfo(name.c_str(), nullptr, &hints, &res) != 0 || res == nullptr) return "";
  char buf[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(res->ai_addr)->sin_addr, buf, sizeof buf);
  freeaddrinfo(res);
  return buf;
}

namespace {

std::string ExpandPath(const std::string& path, const std::string& inventory) {
  if (path.rfind("~/", 0) == 0) return std::string(std::getenv("HOME") ? std::getenv("HOME") : "") + path.substr(1);
  if (!path.empty() && path[0] == '/') return path;
  return (fs::absolute(inventory).parent_path() / path).lexically_normal().string();
}

class AccessReader {
 public:
  AccessReader(const std::string& file, Diagnostics* d, const HostResolver& resolve)
      : file_(file), d_(d), resolve_(resolve) {}
  // The host's address: a literal, or a name that resolves; "" and an error otherwise.
  std::string Address(const std::string& host, const std::string& where, const YAML::Mark& mark) {
    std::string address = IsIpv4(where) ? where : IsHostName(where) ? resolve_(where) : "";
    if (address.empty())
      Error(mark, fmt::format("host {}: unknown host \"{}\" ({}; set ansible_host to its address)", host, where,
                              IsHostName(where) ? "it does not resolve" : "neither an IPv4 address nor a host name"));
    return address;
  }

  std::string Str(const Vars& v, const std::string& key, const std::string& fallback = "") {
    auto it = v.find(key);
    if (it == v.end()) return fallback;
    if (!it->second.IsScalar()) {
      d_->Error(file_, it->second.Mark(), key + " must be a single value");
      return fallback;
    }
    return it->second.Scalar();
  }
  int Int(const Vars& v, const std::string& key, int fallback) {
    const std::string s = Str(v, key);
    if (s.empty()) return fallback;
    auto n = ParseInt(s);
    if (!n || *n < 1 || *n > 65535) d_->Error(file_, v.at(key).Mark(), key + " must be a port number (1 to 65535)");
    return n.value_or(fallback);
  }
  YAML::Mark Mark(const Vars& v, const std::string& key, const YAML::Mark& fallback) {
    auto it = v.find(key);
    return it == v.end() ? fallback : it->second.Mark();
  }
  void Error(const YAML::Mark& m, const std::string& message) { d_->Error(file_, m, message); }
  // True the first time `what` is asked about: one error for a key all hosts share.
  bool FirstTime(const std::string& what) { return seen_.insert(what).second; }

 private:
  std::string file_;
  Diagnostics* d_;
  const HostResolver& resolve_;
  std::set<std::string> seen_;
};

void ReadUnitsAndPorts(AccessReader& r, const Vars& v, SshAccess* a, HostSpec* spec) {
  if (auto it = v.find("pgha_units"); it != v.end()) {
    if (!it->second.IsMap()) r.Error(it->second.Mark(), "pgha_units must map service kinds to systemd units");
    for (const auto& kv : it->second) a->units[kv.first.Scalar()] = kv.second.Scalar();
  }
  if (auto it = v.find("pgha_ports"); it != v.end()) {
    if (!it->second.IsMap()) r.Error(it->second.Mark(), "pgha_ports must map service kinds to {port name: number}");
    for (const auto& kv : it->second)
      for (auto& s : spec->services)
        if (s.kind == kv.first.Scalar() && kv.second.IsMap())
          for (const auto& p : kv.second) {
            if (!s.ports.count(p.first.Scalar()))
              r.Error(p.first.Mark(), fmt::format("{} has no port \"{}\"", s.kind, p.first.Scalar()));
            s.ports[p.first.Scalar()] = ParseInt(p.second.Scalar()).value_or(0);
          }
  }
}

// One host's access and services from its merged variables.
void ReadHost(AccessReader& r, const HostEntry& e, const std::string& file, Inventory* inv) {
  const Vars v = e.Merged();
  for (const auto& [k, node] : v)
    if (k.rfind("pgha_", 0) == 0 && !kHarnessVars.count(k)) {
      const std::string close = ClosestMatch(k, kHarnessVars);
      r.Error(node.Mark(),
              fmt::format("unknown variable {}{}", k, close.empty() ? "" : "; did you mean " + close + "?"));
    }
  SshAccess a;
  a.host = e.name;
  a.address = r.Address(e.name, r.Str(v, "ansible_host", e.name), r.Mark(v, "ansible_host", e.mark));
  a.user = r.Str(v, "ansible_user", "root");
  a.port = r.Int(v, "ansible_port", 22);
  a.become = r.Str(v, "ansible_become") == "true" || r.Str(v, "ansible_become") == "yes";
  a.interface = r.Str(v, "pgha_interface", "eth0");
  a.data_dir = r.Str(v, "postgresql_data_dir", "/var/lib/postgresql/15/main");
  for (const auto& w : Split(r.Str(v, "ansible_ssh_common_args"), ' '))
    if (!w.empty()) a.ssh_options.push_back(w);
  const std::string key = r.Str(v, "ansible_ssh_private_key_file");
  if (key.empty())
    r.Error(e.mark, fmt::format("host {}: no ansible_ssh_private_key_file (the key pgha-chaos logs in with)", e.name));
  a.key_file = key.empty() ? "" : ExpandPath(key, file);
  if (!key.empty() && access(a.key_file.c_str(), R_OK) != 0 && r.FirstTime("key " + a.key_file))
    r.Error(r.Mark(v, "ansible_ssh_private_key_file", e.mark),
            fmt::format("the key file {} is missing or unreadable (ansible_ssh_private_key_file)", a.key_file));
  HostSpec spec;
  spec.name = e.name;
  for (const auto& g : e.groups)
    if (const Service* s = FindService(g); s && s->UserRole() && !spec.Runs(g))
      spec.services.push_back({g, s->DefaultPorts()});
  ReadUnitsAndPorts(r, v, &a, &spec);
  if (inv->scope.empty()) inv->scope = r.Str(v, "patroni_scope");
  if (inv->superuser_password.empty()) inv->superuser_password = r.Str(v, "postgres_superuser_password");
  if (inv->vip.empty()) inv->vip = r.Str(v, "vip");
  auto flag = [&](const char* key) { return r.Str(v, key) == "true" || r.Str(v, key) == "yes"; };
  inv->topology.tls.etcd |= flag("tls_etcd");
  inv->topology.tls.patroni_api |= flag("tls_patroni_api");
  inv->topology.tls.postgres |= flag("tls_postgres");
  if (inv->tls_dir.empty() && !r.Str(v, "pgha_tls_dir").empty())
    inv->tls_dir = ExpandPath(r.Str(v, "pgha_tls_dir"), file);
  if (!spec.services.empty()) {
    inv->topology.hosts.push_back(spec);
    inv->access.push_back(a);
  }
}

// The hosts' /24 (ssh hosts keep their own addresses; the subnet only places the VIP).
Status PlaceVip(Inventory* inv) {
  Topology& t = inv->topology;
  const std::string first = inv->access.front().address;
  t.subnet = first.substr(0, first.rfind('.')) + ".0/24";
  if (inv->vip.empty()) return Status::Ok();
  if (inv->vip.rfind(first.substr(0, first.rfind('.') + 1), 0) != 0)
    return InvalidInput(fmt::format("{}: vip {} must be in the /24 of the hosts ({})", inv->file, inv->vip, t.subnet));
  t.vip.host_number = ParseInt(inv->vip.substr(inv->vip.rfind('.') + 1)).value_or(0);
  return Status::Ok();
}

}  // namespace

Result<Inventory> ParseInventory(const std::string& text, const std::string& path, const HostResolver& resolve) {
  Diagnostics diags;
  auto root = LoadYamlString(text, path, &diags);
  if (!root) return diags.ToStatus();
  if (!root->IsMap()) return InvalidInput(path + ": an inventory is a YAML map with an `all` group");
  InventoryReader reader(path, &diags);
  if ((*root)["all"])
    reader.Group((*root)["all"], "all", {});
  else
    for (const auto& kv : *root) reader.Group(kv.second, kv.first.Scalar(), {});
  Inventory inv;
  inv.file = path;
  inv.topology.name = fs::path(path).stem().string();
  inv.topology.source_file = path;
  AccessReader r(path, &diags, resolve);
  for (const auto& e : reader.hosts()) ReadHost(r, e, path, &inv);
  if (!diags.empty()) return diags.ToStatus();
  if (inv.access.empty())
    return InvalidInput(path +
                        ": no host is in a group named after a service (etcd, patroni, haproxy, pgbouncer, "
                        "keepalived)");
  if (inv.scope.empty()) return InvalidInput(path + ": set patroni_scope (the Patroni cluster name the hosts serve)");
  if (inv.superuser_password.empty())
    return InvalidInput(path + ": set postgres_superuser_password (the harness connects as postgres)");
  if (inv.topology.tls.any() && inv.tls_dir.empty())
    return InvalidInput(path +
                        ": tls_etcd, tls_patroni_api or tls_postgres is on: set pgha_tls_dir to the folder with "
                        "the CA (ca.crt) and the harness's client certificate (client.crt, client.key)");
  if (Status s = PlaceVip(&inv); !s.ok()) return s;
  DefaultEndpoints(&inv.topology);
  std::vector<std::string> warnings;
  if (Status s = ValidateTopology(inv.topology, &warnings); !s.ok()) return s;
  return inv;
}

Result<Inventory> LoadInventory(const std::string& path, const HostResolver& resolve) {
  auto text = ReadInputFile(path);
  if (!text.ok()) return text.status();
  return ParseInventory(*text, path, resolve);
}

}  // namespace pgha
