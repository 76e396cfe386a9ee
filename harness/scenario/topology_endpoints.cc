// A topology's endpoints: read from an `endpoints:` block, or chosen by
// default from what the hosts run (the VIP, then a router, then a libpq
// multi-host string over PgBouncer or PostgreSQL itself).
#include <fmt/format.h>

#include "scenario/topology_loader.h"
#include "services/registry.h"

namespace pgha {
namespace {

// The port on `host` that serves `role`: given, or the router's own.
void ResolveOnHost(const HostSpec& host, EndpointSpec* e) {
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

// The router behind the VIP: the router kind on the keepalived hosts that serves `role`.
void ResolveVip(const Topology& t, EndpointSpec* e) {
  for (const auto* h : t.HostsRunning("keepalived"))
    for (const auto& s : h->services) {
      const Service* kind = FindService(s.kind);
      if (!kind || kind->Tier() != ServiceTier::kRouter || kind->EndpointPorts().count(e->role) == 0) continue;
      e->service = s.kind;
      if (e->port == 0) e->port = s.Port(kind->EndpointPorts().at(e->role));
      return;
    }
}

void ReadOneEndpoint(YamlMap& e, const YAML::Node& n, const Topology& t, EndpointSpec* spec) {
  std::string via = "host";
  e.String("via", &via);
  e.String("host", &spec->host);
  e.Int("port", 1, 65535, &spec->port);
  e.String("service", &spec->service);
  spec->tls = t.tls.postgres && spec->service != "pgbouncer";
  e.Bool("tls", &spec->tls);
  if (auto tls = e.Node("tls"); tls && spec->tls && !t.tls.postgres)
    e.ErrorAt(*tls, "an endpoint with tls needs `tls: {postgres: true}` in the topology (the server must speak TLS)");
  if (via == "vip") {
    spec->via = EndpointVia::kVip;
    if (!t.vip.enabled()) e.ErrorAt(n, "via: vip needs a vip: block in the topology");
    ResolveVip(t, spec);
    if (spec->service.empty()) e.ErrorAt(n, "no router on the keepalived hosts serves this endpoint");
  } else if (via == "multi_host") {
    spec->via = EndpointVia::kMultiHost;
    if (spec->service.empty()) spec->service = "patroni";
    spec->port_name = PortNameFor(spec->service, spec->role);
    if (t.HostsRunning(spec->service).empty() || spec->port_name.empty())
      e.ErrorAt(n, fmt::format("via: multi_host needs a service clients connect to on several hosts (patroni or "
                               "pgbouncer); no host runs \"{}\"",
                               spec->service));
  } else if (via == "host") {
    e.Require("host");
    const HostSpec* host = nullptr;
    for (const auto& h : t.hosts)
      if (h.name == spec->host) host = &h;
    if (host == nullptr && e.Has("host"))
      e.ErrorAt(*e.Node("host"), fmt::format("endpoint host \"{}\" is not a host of this topology", spec->host));
    if (host != nullptr) ResolveOnHost(*host, spec);
    if (host != nullptr && spec->service.empty())
      e.ErrorAt(n, fmt::format("no service on {} serves {} clients{}", spec->host, EndpointRoleName(spec->role),
                               spec->port ? fmt::format(" on port {}", spec->port) : " (name a port)"));
  } else if (auto v = e.Node("via")) {
    e.ErrorAt(*v, fmt::format("via is host, vip or multi_host, not \"{}\"", via));
  }
  if (spec->tls && spec->service == "pgbouncer")
    e.ErrorAt(n,
              "TLS from clients to PgBouncer is not supported (PgBouncer itself uses TLS to PostgreSQL): use "
              "tls: false for this endpoint");
  else if (!spec->tls && t.tls.postgres && spec->service != "pgbouncer")
    e.ErrorAt(n, "with tls: {postgres: true} PostgreSQL accepts TLS connections only: leave tls out or set it true");
}

}  // namespace

std::string PortNameFor(const std::string& kind, EndpointRole role) {
  const Service* s = FindService(kind);
  if (!s) return "";
  auto named = s->EndpointPorts();
  if (named.count(role)) return named.at(role);
  return s->ClientPortName();
}

// endpoints: {read_write: {host: lb, port: 5000}, read_only: {via: vip, port: 5001}}
void ReadEndpoints(const YAML::Node& node, YamlMap& top, Topology* t) {
  YamlMap m(node, top.file(), "endpoints", top.diags());
  if (!m.valid()) return;
  for (auto [key, role] : {std::pair{"read_write", EndpointRole::kReadWrite}, {"read_only", EndpointRole::kReadOnly}}) {
    auto n = m.Node(key);
    if (!n) continue;
    YamlMap e(*n, top.file(), std::string("endpoints.") + key, top.diags());
    if (!e.valid()) continue;
    EndpointSpec spec;
    spec.role = role;
    const size_t errors = top.diags()->errors().size();
    ReadOneEndpoint(e, *n, *t, &spec);
    e.Finish();
    if (top.diags()->errors().size() == errors) t->endpoints.push_back(spec);
  }
  m.Finish();
}

// Without an endpoints block: the VIP; else the first host whose router
// serves the role; else a multi-host string over PgBouncer, else over
// PostgreSQL itself (read-only only when there are replicas to prefer).
void DefaultEndpoints(Topology* t) {
  for (auto role : {EndpointRole::kReadWrite, EndpointRole::kReadOnly}) {
    if (t->Endpoint(role)) continue;
    EndpointSpec e;
    e.role = role;
    e.tls = t->tls.postgres;
    if (t->vip.enabled()) {
      e.via = EndpointVia::kVip;
      ResolveVip(*t, &e);
      if (!e.service.empty()) {
        t->endpoints.push_back(e);
        continue;
      }
    }
    e.via = EndpointVia::kHost;
    for (const auto& h : t->hosts) {
      e.host = h.name;
      ResolveOnHost(h, &e);
      if (!e.service.empty()) break;
    }
    if (e.service.empty()) {
      e.host.clear();
      e.via = EndpointVia::kMultiHost;
      e.service = t->HostsRunning("pgbouncer").empty() ? "patroni" : "pgbouncer";
      e.port_name = PortNameFor(e.service, role);
      if (e.service == "pgbouncer") e.tls = false;
      if (t->HostsRunning(e.service).empty()) continue;
    }
    t->endpoints.push_back(e);
  }
}

}  // namespace pgha
