#include "scenario/topology_network.h"

#include <fmt/format.h>

#include <map>

#include "core/yaml_reader.h"
#include "scenario/topology_loader.h"
#include "services/pg_hba_check.h"
#include "services/registry.h"

namespace pgha {
namespace {

// Why no cluster can live on `subnet`, or "" (RFC 6890's special blocks a
// bridge cannot serve).
std::string UnusableSubnet(const Ipv4Subnet& subnet) {
  const uint32_t first = subnet.network >> 24;
  if (first == 0) return "\"this network\" (0.0.0.0/8)";
  if (first == 127) return "loopback (127.0.0.0/8)";
  if (first >= 224 && first < 240) return "multicast (224.0.0.0/4)";
  if (first >= 240) return "reserved (240.0.0.0/4)";
  if ((subnet.network >> 16) == ((169u << 8) | 254u)) return "link-local (169.254.0.0/16)";
  return "";
}

// Two listeners on one port of one host.
Status PortClash(const HostSpec& h, const std::string& where) {
  std::map<int, std::string> taken;  // port -> "kind port-name"
  for (const auto& s : h.services)
    for (const auto& [name, port] : s.ports) {
      const std::string what = s.kind + " " + name;
      auto [it, fresh] = taken.emplace(port, what);
      if (!fresh)
        return InvalidInput(
            fmt::format("{}: host {}: {} and {} both listen on port {}; give one of them another "
                        "port (services: {{{}: {{ports: {{{}: N}}}}}})",
                        where, h.name, it->second, what, port, s.kind, name));
    }
  return Status::Ok();
}

// An endpoint on one host's port must be a port its service serves to such clients.
Status EndpointOnClientPort(const Topology& t, const EndpointSpec& e, const std::string& where) {
  if (e.via != EndpointVia::kHost) return Status::Ok();
  for (const auto& h : t.hosts) {
    if (h.name != e.host) continue;
    const ServiceSpec* s = h.Service(e.service);
    if (!s) return Status::Ok();
    const std::string want = PortNameFor(e.service, e.role);
    for (const auto& [name, port] : s->ports)
      if (port == e.port && name != want)
        return InvalidInput(
            fmt::format("{}: the {} endpoint on {}:{} is {}'s {} port, which serves no {} client; "
                        "use its {} port ({})",
                        where, EndpointRoleName(e.role), e.host, e.port, e.service, name, EndpointRoleName(e.role),
                        want, s->Port(want)));
  }
  return Status::Ok();
}

// An overlay's pg_hba that would shut the harness or Patroni out.
Status OverlayLetsUsIn(const Topology& t, const Ipv4Subnet& subnet, const std::string& where) {
  if (t.patroni.config_overlay.empty()) return Status::Ok();
  Diagnostics ignored;  // the overlay's own mistakes are reported where it is read
  auto root = LoadYamlFile(t.patroni.config_overlay, &ignored);
  if (!root || !root->IsMap() || !(*root)["postgresql"].IsMap()) return Status::Ok();
  std::vector<std::string> from = {subnet.Address(1)};
  for (uint32_t i = 0; i < t.hosts.size(); ++i) from.push_back(subnet.Address(kFirstHostNumber + i));
  const std::string why = HbaLocksOut((*root)["postgresql"]["pg_hba"], from, t.tls.postgres);
  if (why.empty()) return Status::Ok();
  return InvalidInput(
      fmt::format("{}: the Patroni overlay {} replaces pg_hba with rules that shut pgha-chaos out "
                  "({}); let these users in from {} by password, e.g. \"host all all {} "
                  "scram-sha-256\" and \"host replication replicator {} scram-sha-256\"",
                  where, t.patroni.config_overlay, why, t.subnet, t.subnet, t.subnet));
}

}  // namespace

Status ValidateNetworkShape(const Topology& t, const Ipv4Subnet& subnet, const std::string& where) {
  if (std::string why = UnusableSubnet(subnet); !why.empty())
    return InvalidInput(
        fmt::format("{}: subnet {} is {}, not a network the hosts can share; use a private one such "
                    "as 10.77.0.0/24",
                    where, t.subnet, why));
  for (const auto& h : t.hosts)
    if (Status s = PortClash(h, where); !s.ok()) return s;
  for (const auto& e : t.endpoints)
    if (Status s = EndpointOnClientPort(t, e, where); !s.ok()) return s;
  return OverlayLetsUsIn(t, subnet, where);
}

}  // namespace pgha
