#include "scenario/topology_loader.h"

#include <fmt/format.h>

#include <regex>
#include <set>

#include "core/cidr.h"
#include "core/files.h"
#include "core/units.h"
#include "services/registry.h"

namespace pgha {
namespace {

constexpr int kFirstHostOffset = 10;  // hosts get .10, .11, ...; .1 is the gateway

// A service with its kind's default ports; false (and an error) for an unknown kind.
bool AddService(const std::string& kind, const YAML::Node& at, YamlMap& host, HostSpec* spec) {
  const Service* s = FindService(kind);
  if (s == nullptr) {
    host.ErrorAt(at, fmt::format("unknown role \"{}\"; roles are {}", kind, ServiceKindList()));
    return false;
  }
  if (!spec->Runs(kind)) spec->services.push_back({kind, s->DefaultPorts()});
  return true;
}

// services: {haproxy: {ports: {primary: 6000}}}
void ReadServiceMap(const YAML::Node& node, YamlMap& host, HostSpec* spec) {
  if (!node.IsMap())
    return host.ErrorAt(node, "services maps a service kind to its settings, e.g. {haproxy: {ports: {primary: 5000}}}");
  for (const auto& kv : node) {
    const std::string kind = kv.first.IsScalar() ? kv.first.Scalar() : "";
    if (!AddService(kind, kv.first, host, spec)) continue;
    ServiceSpec& service = spec->services.back();
    YamlMap m(kv.second.IsNull() ? YAML::Node(YAML::NodeType::Map) : kv.second, host.file(), "services." + kind,
              host.diags());
    if (auto ports = m.Node("ports")) {
      if (!ports->IsMap())
        m.ErrorAt(*ports, "ports maps a port's name to its number");
      else
        for (const auto& p : *ports) {
          const std::string name = p.first.Scalar();
          if (!service.ports.count(name)) {
            std::string known;
            for (const auto& [n, _] : service.ports) known += (known.empty() ? "" : ", ") + n;
            m.ErrorAt(p.first, fmt::format("{} has no port \"{}\"; its ports are {}", kind, name, known));
          } else {
            YamlMap port_map(*ports, host.file(), "services." + kind + ".ports", host.diags());
            port_map.Int(name, 1, 65535, &service.ports[name]);
          }
        }
    }
    m.Finish();
  }
}

void ReadHost(const YAML::Node& h, YamlMap& top, int index, std::set<std::string>* seen, Topology* t) {
  static const std::regex kName("[a-z][a-z0-9]{0,7}");
  YamlMap host(h, top.file(), fmt::format("hosts[{}]", index), top.diags());
  if (!host.valid()) return;
  HostSpec spec;
  host.Require("name");
  host.String("name", &spec.name);
  if (auto n = host.Node("name")) {
    if (!std::regex_match(spec.name, kName))
      host.ErrorAt(*n,
                   fmt::format("host name \"{}\" must be 1 to 8 lower-case letters or digits, starting with a letter",
                               spec.name));
    else if (!seen->insert(spec.name).second)
      host.ErrorAt(*n, fmt::format("host name \"{}\" is used twice", spec.name));
  }
  std::vector<std::string> roles;
  host.StringList("roles", &roles);
  if (auto r = host.Node("roles"))
    for (const auto& role : roles) AddService(role, *r, host, &spec);
  if (auto s = host.Node("services")) ReadServiceMap(*s, host, &spec);
  if (!host.Has("roles") && !host.Has("services"))
    host.ErrorAt(h, "a host needs roles: [etcd, patroni, ...] or services:");
  host.Finish();
  t->hosts.push_back(spec);
}

void ReadHosts(const YAML::Node& hosts, YamlMap& top, Topology* t) {
  if (!hosts.IsSequence()) return top.ErrorAt(hosts, "hosts must be a list of {name, roles}");
  std::set<std::string> seen;
  int index = 0;
  for (const auto& h : hosts) ReadHost(h, top, index++, &seen, t);
}

// The port on `host` that serves `role`: given, or the router's own.
void ResolveEndpoint(const HostSpec& host, EndpointSpec* e) {
  for (const auto& s : host.services) {
    const Service* kind = FindService(s.kind);
    auto named = kind ? kind->EndpointPorts() : std::map<EndpointRole, std::string>{};
    for (const auto& [port_name, port] : s.ports)
      if ((e->port == 0 && named.count(e->role) && named.at(e->role) == port_name) ||
          (e->port != 0 && e->port == port)) {
        e->service = s.kind;
        e->port = port;
        return;
      }
  }
}

// endpoints: {read_write: {host: lb, port: 5000, tls: false}, read_only: ...}
void ReadEndpoints(const YAML::Node& node, YamlMap& top, Topology* t) {
  YamlMap m(node, top.file(), "endpoints", top.diags());
  if (!m.valid()) return;
  for (auto [key, role] : {std::pair{"read_write", EndpointRole::kReadWrite}, {"read_only", EndpointRole::kReadOnly}}) {
    auto n = m.Node(key);
    if (!n) continue;
    YamlMap e(*n, top.file(), std::string("endpoints.") + key, top.diags());
    EndpointSpec spec;
    spec.role = role;
    e.Require("host");
    e.String("host", &spec.host);
    e.Int("port", 1, 65535, &spec.port);
    e.Bool("tls", &spec.tls);
    e.Finish();
    const HostSpec* host = nullptr;
    for (const auto& h : t->hosts)
      if (h.name == spec.host) host = &h;
    if (host == nullptr && e.Has("host"))
      e.ErrorAt(*e.Node("host"), fmt::format("endpoint host \"{}\" is not a host of this topology", spec.host));
    if (host != nullptr) ResolveEndpoint(*host, &spec);
    if (host != nullptr && spec.service.empty())
      e.ErrorAt(*n, fmt::format("no service on {} serves {} clients{}", spec.host, EndpointRoleName(role),
                                spec.port ? fmt::format(" on port {}", spec.port) : " (name a port)"));
    else if (host != nullptr)
      t->endpoints.push_back(spec);
  }
  m.Finish();
}

// Without an endpoints block: the first host whose service serves each role.
void DefaultEndpoints(Topology* t) {
  for (auto role : {EndpointRole::kReadWrite, EndpointRole::kReadOnly}) {
    if (t->Endpoint(role)) continue;
    for (const auto& h : t->hosts) {
      EndpointSpec e;
      e.role = role;
      e.host = h.name;
      ResolveEndpoint(h, &e);
      if (e.service.empty()) continue;
      t->endpoints.push_back(e);
      break;
    }
  }
}

void ReadWholeSeconds(YamlMap& m, const char* key, Duration* value) {
  m.Dur(key, value);
  auto n = m.Node(key);
  if (!n) return;
  auto whole = WholeSeconds(*value, std::string("patroni.") + key);
  if (!whole.ok())
    m.ErrorAt(*n, whole.status().message());
  else if (*whole < 1)
    m.ErrorAt(*n, fmt::format("patroni.{} must be at least 1s", key));
}

void ReadWholeMillis(YamlMap& m, const char* key, Duration* value) {
  m.Dur(key, value);
  auto n = m.Node(key);
  if (n && (*value < 10ms || value->count() % 1000000 != 0))
    m.ErrorAt(*n, fmt::format("haproxy.{} must be whole milliseconds, at least 10ms", key));
}

}  // namespace

void ReadPatroniSettings(YamlMap& m, PatroniSettings* p) {
  if (!m.valid()) return;
  ReadWholeSeconds(m, "ttl", &p->ttl);
  ReadWholeSeconds(m, "loop_wait", &p->loop_wait);
  ReadWholeSeconds(m, "retry_timeout", &p->retry_timeout);
  uint64_t lag = static_cast<uint64_t>(p->maximum_lag_on_failover);
  m.Size("maximum_lag_on_failover", &lag);
  p->maximum_lag_on_failover = static_cast<int64_t>(lag);
  m.Bool("synchronous_mode", &p->synchronous_mode);
  m.Bool("synchronous_mode_strict", &p->synchronous_mode_strict);
  m.Bool("use_pg_rewind", &p->use_pg_rewind);
  if (auto n = m.Node("postgresql_parameters")) {
    if (!n->IsMap())
      m.ErrorAt(*n, "patroni.postgresql_parameters must map setting names to values");
    else
      for (const auto& kv : *n) {
        if (!kv.second.IsScalar())
          m.ErrorAt(kv.second, "a PostgreSQL parameter value must be a scalar");
        else
          p->postgresql_parameters[kv.first.Scalar()] = kv.second.Scalar();
      }
  }
  m.Finish();
}

void ReadHaproxySettings(YamlMap& m, HaproxySettings* h) {
  if (!m.valid()) return;
  ReadWholeMillis(m, "check_interval", &h->check_interval);
  ReadWholeMillis(m, "check_timeout", &h->check_timeout);
  m.Int("fall", 1, 100, &h->fall);
  m.Int("rise", 1, 100, &h->rise);
  m.Bool("shutdown_sessions", &h->shutdown_sessions);
  m.Finish();
}

Status ValidateTopology(const Topology& t, std::vector<std::string>* warnings) {
  const std::string where = t.source_file.empty() ? t.name : t.source_file;
  auto subnet = ParseSubnet(t.subnet);
  if (!subnet.ok()) return subnet.status().WithContext(where);
  if (subnet->prefix < 16 || subnet->prefix > 28)
    return InvalidInput(fmt::format("{}: subnet {} must have a prefix between /16 and /28", where, t.subnet));
  if (subnet->Size() < t.hosts.size() + kFirstHostOffset + 2)
    return InvalidInput(
        fmt::format("{}: subnet {} is too small for {} hosts; use a /24", where, t.subnet, t.hosts.size()));
  if (t.HostsRunning("etcd").empty()) return InvalidInput(where + ": no host has the etcd role; Patroni needs etcd");
  if (t.HostsRunning("patroni").empty()) return InvalidInput(where + ": no host has the patroni role");
  if (!t.Endpoint(EndpointRole::kReadWrite))
    return InvalidInput(where +
                        ": clients have nowhere to connect: add a host with the haproxy role, or an endpoints: block");
  if (t.up_timeout < 5s) return InvalidInput(where + ": up_timeout must be at least 5s");
  if (t.data_volume != 0 && t.data_volume < 256ull * 1024 * 1024)
    return InvalidInput(
        where + ": data_volume must be 0 (data on disk) or at least 256MiB (PostgreSQL keeps up to 256MB of WAL)");
  for (auto& w : PatroniTimingWarnings(t.patroni)) warnings->push_back(where + ": " + w);
  if (t.HostsRunning("etcd").size() % 2 == 0)
    warnings->push_back(fmt::format("{}: {} etcd members: an even count tolerates no more failures than one fewer",
                                    where, t.HostsRunning("etcd").size()));
  return Status::Ok();
}

namespace {

void ReadTopologyKeys(YamlMap& top, Diagnostics& diags, const std::string& name, Topology& t) {
  top.Require("name");
  top.String("name", &t.name);
  top.String("subnet", &t.subnet);
  if (auto s = top.Node("subnet")) {
    auto parsed = ParseSubnet(t.subnet);
    if (!parsed.ok()) top.ErrorAt(*s, parsed.status().message());
  }
  top.Dur("up_timeout", &t.up_timeout);
  top.Size("data_volume", &t.data_volume);
  top.Require("hosts");
  if (auto hosts = top.Node("hosts")) ReadHosts(*hosts, top, &t);
  if (auto e = top.Node("endpoints")) ReadEndpoints(*e, top, &t);
  DefaultEndpoints(&t);
  if (auto n = top.Node("patroni")) {
    YamlMap m(*n, name, "patroni", &diags);
    ReadPatroniSettings(m, &t.patroni);
  }
  if (auto n = top.Node("haproxy")) {
    YamlMap m(*n, name, "haproxy", &diags);
    ReadHaproxySettings(m, &t.haproxy);
  }
  top.Finish();
}

}  // namespace

Result<LoadedTopology> ParseTopology(const std::string& yaml_text, const std::string& name) {
  Diagnostics diags;
  auto root = LoadYamlString(yaml_text, name, &diags);
  if (!root) return diags.ToStatus();
  LoadedTopology out;
  out.topology.source_file = name;
  YamlMap top(*root, name, "the topology", &diags);
  if (top.valid()) ReadTopologyKeys(top, diags, name, out.topology);
  if (!diags.empty()) return diags.ToStatus();
  Status valid = ValidateTopology(out.topology, &out.warnings);
  if (!valid.ok()) return valid;
  return out;
}

Result<LoadedTopology> LoadTopology(const std::string& path) {
  auto text = ReadTextFile(path);
  if (!text.ok()) return InvalidInput(path + ": cannot read the topology file (does it exist?)");
  return ParseTopology(*text, path);
}

}  // namespace pgha
