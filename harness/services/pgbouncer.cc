// PgBouncer 1.18: a connection pooler, run as the postgres user, its
// config rendered from fixtures/pgbouncer.ini (or the user's template).
// Database "postgres" leads to the host's own PostgreSQL (backend: local,
// as seed 002 runs it) or to the read-write router (backend: router: the
// VIP, else the first HAProxy). Clients authenticate with SCRAM against a
// users file (mode 0600) that holds the run's superuser password, which
// PgBouncer also uses to log in to the server. Its probe asks the admin
// console (SHOW VERSION); whether it leads clients to the right server is
// judged from the endpoints it serves.
#include <fmt/format.h>

#include "services/fixtures.h"
#include "services/service.h"
#include "services/targets.h"

namespace pgha {
namespace {

constexpr const char* kPgbouncerUser = "postgres";

std::string PgbouncerSeconds(Duration d) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  return ms % 1000 == 0 ? std::to_string(ms / 1000) : fmt::format("{}.{:03}", ms / 1000, ms % 1000);
}

// Where database "postgres" leads.
std::pair<std::string, int> Backend(const RenderContext& c) {
  if (c.topology.pgbouncer.backend == "router") {
    const auto routers = c.plan.HostsRunning("haproxy");
    const int port = routers.empty() ? 0 : routers[0]->Port("haproxy", "primary");
    if (!c.plan.vip.empty()) return {c.plan.vip, port};
    if (!routers.empty()) return {routers[0]->address, port};
  }
  return {c.host.address, c.host.Port("patroni", "postgres")};
}

class Pgbouncer : public Service {
 public:
  std::string Kind() const override { return "pgbouncer"; }
  ServiceTier Tier() const override { return ServiceTier::kRouter; }
  std::map<std::string, int> DefaultPorts() const override { return {{"pgbouncer", 6432}}; }
  std::string ClientPortName() const override { return "pgbouncer"; }
  std::vector<RequiredProgram> Programs() const override { return {{"/usr/sbin/pgbouncer", "pgbouncer"}}; }
  std::vector<VersionQuery> Versions() const override { return {{"pgbouncer", {"/usr/sbin/pgbouncer", "--version"}}}; }
  std::vector<DirectorySpec> Directories(const ClusterPlan&, const HostPlan& h) const override {
    return {{h.dir, 0755, kPgbouncerUser}};
  }

  Result<std::vector<FileSpec>> Render(const RenderContext& c) const override {
    const auto& b = c.topology.pgbouncer;
    const auto [backend_host, backend_port] = Backend(c);
    TemplateContext v = CommonTemplateVars(c.plan, c.host);
    v.Set("pgbouncer_port", std::to_string(c.host.Port("pgbouncer", "pgbouncer")))
        .Set("backend", b.backend)
        .Set("backend_host", backend_host)
        .Set("backend_port", std::to_string(backend_port))
        .Set("pool_mode", b.pool_mode)
        .Set("server_check_delay", PgbouncerSeconds(b.server_check_delay))
        .Set("server_login_retry", PgbouncerSeconds(b.server_login_retry))
        .Set("server_connect_timeout", PgbouncerSeconds(b.server_connect_timeout))
        .Set("query_wait_timeout", PgbouncerSeconds(b.query_wait_timeout))
        .SetFlag("server_tls", c.plan.tls.links.postgres);
    auto text = RenderServiceConfig(c, "pgbouncer", "pgbouncer.ini", v);
    if (!text.ok()) return text.status();
    return std::vector<FileSpec>{
        {c.host.dir + "/pgbouncer.ini", *text, 0644, kPgbouncerUser},
        {c.host.dir + "/pgbouncer.users", fmt::format("\"postgres\" \"{}\"\n", c.secrets.superuser_password), 0600,
         kPgbouncerUser}};
  }

  // A PgBouncer whose first login to its server fails waits
  // server_login_retry (15 s by default) before it tries again: start it
  // once the host's PostgreSQL answers (bounded; health has the real deadline).
  Status BeforeStart(const BringUpContext& b, const HostPlan& h) const override {
    if (!h.Runs("patroni")) return Status::Ok();
    Deadline deadline(b.clock, std::chrono::seconds(30));
    while (!deadline.Expired()) {
      if (Status s = b.check(); !s.ok()) return s;
      if (b.probe.sql.QueryOnce(PostgresOn(b.probe.plan, h, b.probe.secrets), "SELECT 1", std::chrono::seconds(1))
              .status.ok())
        return Status::Ok();
      b.clock.SleepFor(std::chrono::milliseconds(100));
    }
    return Status::Ok();
  }

  DaemonLaunch Launch(const ClusterPlan&, const HostPlan& h) const override {
    return ServiceDaemon("pgbouncer", h, {"/usr/sbin/pgbouncer", h.dir + "/pgbouncer.ini"}, kPgbouncerUser,
                         "/var/lib/postgresql");
  }

  ServiceCheck Probe(const ProbeContext& c, const HostPlan& h) const override {
    ServiceCheck check{"pgbouncer", h.name, false, false, "", {}};
    PgTarget admin = PostgresAt(c.plan, h.address, h.Port("pgbouncer", "pgbouncer"), c.secrets);
    admin.dbname = "pgbouncer";
    admin.sslmode = "disable";
    admin.sslrootcert.clear();
    auto out = c.sql.QueryOnce(admin, "SHOW VERSION", c.call_timeout);
    check.answered = check.healthy = out.status.ok();
    if (!out.status.ok()) check.error = out.status.message();
    return check;
  }

  HealthPart Judge(const std::vector<ServiceCheck>& checks, const HealthFacts&,
                   const std::vector<std::string>& endpoint_problems) const override {
    HealthPart part;
    int answering = 0;
    for (const auto& c : checks) {
      if (c.answered)
        ++answering;
      else
        part.problems.push_back(fmt::format("PgBouncer on {} ({})", c.host, c.error));
    }
    part.summary = fmt::format("pgbouncer {}/{}", answering, checks.size());
    part.problems.insert(part.problems.end(), endpoint_problems.begin(), endpoint_problems.end());
    return part;
  }
};

}  // namespace

const Service* PgbouncerService() {
  static const Pgbouncer kPgbouncer;
  return &kPgbouncer;
}

}  // namespace pgha
