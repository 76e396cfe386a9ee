// Targets: how the harness reaches each service of a running cluster, as
// client targets with the run's TLS applied. Patroni's REST API and etcd
// are HTTPS with the run's CA (and the harness's client certificate) where
// the plan says so; PostgreSQL is verify-full against the run's CA with
// tls.postgres. Every caller (health probes, the observer, faults, steps,
// the workload) asks here, so no call site knows whether a link is TLS.
// Pure.
#pragma once

#include <string>

#include "client/http_client.h"
#include "client/sql_client.h"
#include "model/cluster_plan.h"

namespace pgha {

HttpTarget PatroniApi(const ClusterPlan& plan, const HostPlan& host);
HttpTarget EtcdClientApi(const ClusterPlan& plan, const HostPlan& host);
HttpTarget EtcdPeerApi(const ClusterPlan& plan, const HostPlan& host);
HttpTarget PlainHttp(const std::string& address, int port);

// The superuser on one address (a host's PostgreSQL), or through an endpoint.
PgTarget PostgresAt(const ClusterPlan& plan, const std::string& address, int port, const Secrets& secrets);
PgTarget PostgresOn(const ClusterPlan& plan, const HostPlan& host, const Secrets& secrets);
PgTarget EndpointTarget(const ClusterPlan& plan, const EndpointPlan& endpoint, const Secrets& secrets);

}  // namespace pgha
