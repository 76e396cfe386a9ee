#include "scenario/topology_loader.h"

#include <fmt/format.h>

#include <regex>
#include <set>

#include "core/cidr.h"
#include "core/files.h"
#include "core/units.h"
#include "scenario/topology_network.h"
#include "services/registry.h"

namespace pgha {
namespace {

constexpr size_t kMaxHosts = 64;
constexpr uint64_t kFirstHostOffset = kFirstHostNumber;

// A service with its kind's default ports; false (and an error) for an unknown kind.
bool AddService(const std::string& kind, const YAML::Node& at, YamlMap& host, HostSpec* spec) {
  const Service* s = FindService(kind);
  if (s != nullptr && !s->UserRole()) {
    host.ErrorAt(at, fmt::format("\"{}\" is not a role a host names; it follows from a setting (patroni.watchdog: "
                                 "emulated)",
                                 kind));
    return false;
  }
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

void ReadTopologyHost(const YAML::Node& h, YamlMap& top, int index, std::set<std::string>* seen, Topology* t) {
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
  if (hosts.size() > kMaxHosts)
    return top.ErrorAt(hosts, fmt::format("{} hosts: a topology has at most {} (each is a network namespace or a "
                                          "container on this machine)",
                                          hosts.size(), kMaxHosts));
  std::set<std::string> seen;
  int index = 0;
  for (const auto& h : hosts) ReadTopologyHost(h, top, index++, &seen, t);
}

}  // namespace

namespace {

// The parts that must fit together: a VIP and keepalived, PgBouncer's
// backend, TLS and the entry points, the emulated watchdog's timing.
Status ValidateParts(const Topology& t, const Ipv4Subnet& subnet, const std::string& where) {
  const bool keepalived = !t.HostsRunning("keepalived").empty();
  if (keepalived != t.vip.enabled())
    return InvalidInput(where + (keepalived
                                     ? ": hosts run keepalived but there is no vip: block (add vip: {address: 100})"
                                     : ": a vip needs hosts with the keepalived role to hold it"));
  if (t.vip.enabled()) {
    const uint64_t n = static_cast<uint64_t>(t.vip.host_number);
    if (n + 1 >= subnet.Size())
      return InvalidInput(fmt::format("{}: the VIP .{} is outside subnet {}", where, n, t.subnet));
    if (n >= kFirstHostOffset && n < kFirstHostOffset + t.hosts.size())
      return InvalidInput(fmt::format("{}: the VIP .{} is a host's address (hosts get .{} to .{}); pick another number",
                                      where, n, kFirstHostOffset, kFirstHostOffset + t.hosts.size() - 1));
    for (const auto* h : t.HostsRunning("keepalived"))
      if (!h->Runs("haproxy") && !h->Runs("pgbouncer"))
        return InvalidInput(
            fmt::format("{}: keepalived host {} runs no router (haproxy or pgbouncer) for the VIP to "
                        "reach",
                        where, h->name));
  }
  if (!t.HostsRunning("pgbouncer").empty() && t.pgbouncer.backend == "router" && t.HostsRunning("haproxy").empty())
    return InvalidInput(where + ": pgbouncer.backend: router needs a host with the haproxy role");
  if (t.patroni.watchdog == "emulated") {
    const int ttl = static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(t.patroni.ttl).count());
    const int loop = static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(t.patroni.loop_wait).count());
    const int timeout = t.patroni.watchdog_safety_margin < 0 ? ttl / 2 : ttl - t.patroni.watchdog_safety_margin;
    if (timeout - loop < 0 || timeout < 1)
      return InvalidInput(fmt::format(
          "{}: with ttl {}s and watchdog_safety_margin {} the watchdog timeout would be {}s, less than loop_wait {}s: "
          "Patroni would refuse the watchdog (\"Watchdog not supported because leader TTL ...\"); use "
          "watchdog_safety_margin: -1 (ttl/2) or a smaller margin",
          where, ttl, t.patroni.watchdog_safety_margin, timeout, loop));
  }
  return Status::Ok();
}

}  // namespace

Status ValidateTopology(const Topology& t, std::vector<std::string>* warnings) {
  const std::string where = t.source_file.empty() ? t.name : t.source_file;
  auto subnet = ParseSubnet(t.subnet);
  if (!subnet.ok()) return subnet.status().WithContext(where);
  if (subnet->prefix < 16 || subnet->prefix > 28)
    return InvalidInput(fmt::format("{}: subnet {} must have a prefix between /16 and /28", where, t.subnet));
  if (subnet->Size() < t.hosts.size() + kFirstHostOffset + 2)
    return InvalidInput(
        fmt::format("{}: subnet {} is too small for {} hosts; use a /24", where, t.subnet, t.hosts.size()));
  if (Status s = ValidateNetworkShape(t, *subnet, where); !s.ok()) return s;
  if (t.HostsRunning("etcd").empty()) return InvalidInput(where + ": no host has the etcd role; Patroni needs etcd");
  if (t.HostsRunning("patroni").empty()) return InvalidInput(where + ": no host has the patroni role");
  if (!t.Endpoint(EndpointRole::kReadWrite))
    return InvalidInput(where +
                        ": clients have nowhere to connect: add a host with the haproxy role, or an endpoints: block");
  if (t.up_timeout < 5s) return InvalidInput(where + ": up_timeout must be at least 5s");
  if (t.data_device == "loop" && t.data_volume == 0)
    return InvalidInput(where + ": data_device: loop needs data_volume (its size), e.g. data_volume: 512MiB");
  if (!t.data_fs.empty() && t.data_volume == 0)
    return InvalidInput(where + ": data_fs: pgha needs data_volume (its size), e.g. data_volume: 512MiB");
  if (t.data_volume != 0 && t.data_volume < 256ull * 1024 * 1024)
    return InvalidInput(
        where + ": data_volume must be 0 (data on disk) or at least 256MiB (PostgreSQL keeps up to 256MB of WAL)");
  if (Status s = ValidateParts(t, *subnet, where); !s.ok()) return s;
  if (Status s = RenderUserConfigs(t); !s.ok()) return s;
  for (auto& w : PatroniTimingWarnings(t.patroni)) warnings->push_back(where + ": " + w);
  if (t.HostsRunning("etcd").size() % 2 == 0)
    warnings->push_back(fmt::format("{}: {} etcd members: an even count tolerates no more failures than one fewer",
                                    where, t.HostsRunning("etcd").size()));
  return Status::Ok();
}

namespace {

// A settings block, when present, read by `reader`.
template <typename Settings, typename Reader>
void Block(YamlMap& top, Diagnostics& diags, const std::string& name, const char* key, Settings* out, Reader reader) {
  if (auto n = top.Node(key)) {
    YamlMap m(*n, name, key, &diags);
    reader(m, out);
  }
}

// data_device: tmpfs (the default) or loop; data_fs: pgha.
void ReadDataDevice(YamlMap& top, Topology* t) {
  top.String("data_device", &t->data_device);
  if (auto n = top.Node("data_device"); n && t->data_device != "tmpfs" && t->data_device != "loop")
    top.ErrorAt(*n, "data_device must be tmpfs or loop (ext4 on a loop device, which io_throttle can slow)");
  top.String("data_fs", &t->data_fs);
  if (auto n = top.Node("data_fs"); n && t->data_fs != "pgha")
    top.ErrorAt(*n, "data_fs must be pgha (the durable file system, whose unsynced data a power cut drops)");
}

void ReadTopologyKeys(YamlMap& top, Diagnostics& diags, const std::string& name, Topology& t) {
  top.Require("name");
  top.Name("name", &t.name);
  top.String("subnet", &t.subnet);
  if (auto s = top.Node("subnet")) {
    auto parsed = ParseSubnet(t.subnet);
    if (!parsed.ok()) top.ErrorAt(*s, parsed.status().message());
  }
  top.Dur("up_timeout", &t.up_timeout);
  top.Size("data_volume", &t.data_volume);
  ReadDataDevice(top, &t);
  top.Require("hosts");
  if (auto hosts = top.Node("hosts")) ReadHosts(*hosts, top, &t);
  Block(top, diags, name, "vip", &t.vip, [&](YamlMap& m, VipSpec* v) { ReadVip(m, t.subnet, v); });
  Block(top, diags, name, "tls", &t.tls, ReadTlsSettings);
  Block(top, diags, name, "templates", &t.templates, ReadTemplates);
  Block(top, diags, name, "patroni", &t.patroni, ReadPatroniSettings);
  Block(top, diags, name, "haproxy", &t.haproxy, ReadHaproxySettings);
  Block(top, diags, name, "pgbouncer", &t.pgbouncer, ReadPgbouncerSettings);
  if (auto e = top.Node("endpoints")) ReadEndpoints(*e, top, &t);
  DefaultEndpoints(&t);
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
  auto text = ReadInputFile(path);
  if (!text.ok()) return text.status();
  return ParseTopology(*text, path);
}

}  // namespace pgha
