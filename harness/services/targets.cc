#include "services/targets.h"

namespace pgha {
namespace {

HttpTarget WithTls(HttpTarget t, const ClusterPlan& plan, bool on) {
  if (!on) return t;
  t.ca_file = plan.tls.CaFile();
  t.cert_file = plan.tls.ClientCert();
  t.key_file = plan.tls.ClientKey();
  return t;
}

}  // namespace

HttpTarget PlainHttp(const std::string& address, int port) {
  HttpTarget t;
  t.host = address;
  t.port = port;
  return t;
}

HttpTarget PatroniApi(const ClusterPlan& plan, const HostPlan& host) {
  return WithTls(PlainHttp(host.address, host.Port("patroni", "api")), plan, plan.tls.links.patroni_api);
}

HttpTarget EtcdClientApi(const ClusterPlan& plan, const HostPlan& host) {
  return WithTls(PlainHttp(host.address, host.Port("etcd", "client")), plan, plan.tls.links.etcd);
}

HttpTarget EtcdPeerApi(const ClusterPlan& plan, const HostPlan& host) {
  return WithTls(PlainHttp(host.address, host.Port("etcd", "peer")), plan, plan.tls.links.etcd);
}

PgTarget PostgresAt(const ClusterPlan& plan, const std::string& address, int port, const Secrets& secrets) {
  PgTarget t;
  t.host = address;
  t.port = port;
  t.password = secrets.superuser_password;
  t.application_name = "pgha-chaos-observer";
  if (plan.tls.links.postgres) {
    t.sslmode = "verify-full";
    t.sslrootcert = plan.tls.CaFile();
  }
  return t;
}

PgTarget PostgresOn(const ClusterPlan& plan, const HostPlan& host, const Secrets& secrets) {
  return PostgresAt(plan, host.address, host.Port("patroni", "postgres"), secrets);
}

PgTarget EndpointTarget(const ClusterPlan& plan, const EndpointPlan& e, const Secrets& secrets) {
  PgTarget t = PostgresAt(plan, e.servers.empty() ? "" : e.servers[0].address,
                          e.servers.empty() ? 0 : e.servers[0].port, secrets);
  if (e.servers.size() > 1) {
    std::string hosts, ports;
    for (const auto& s : e.servers) {
      hosts += (hosts.empty() ? "" : ",") + s.address;
      ports += (ports.empty() ? "" : ",") + std::to_string(s.port);
    }
    t.host = hosts;
    t.ports = ports;
  }
  t.target_session_attrs = e.TargetSessionAttrs();
  if (!e.tls) {
    t.sslmode = "disable";
    t.sslrootcert.clear();
  }
  return t;
}

}  // namespace pgha
