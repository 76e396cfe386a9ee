// Patroni 3.0.2 with PostgreSQL 15: the database tier. Runs as the postgres
// user (PostgreSQL refuses root); its folder and data volume belong to it.
// Its health is the cluster's own view (observe/health.h), so it has no
// probe of its own here.
#include <fmt/format.h>

#include "services/fixtures.h"
#include "services/initdb_cache.h"
#include "services/patroni_config.h"
#include "services/pg_hba_check.h"
#include "services/service.h"
#include "services/watchdog.h"

namespace pgha {
namespace {

// The merged configuration's pg_hba must admit the run's own addresses
// (another subnet than the topology's, given by --subnet, too).
Status LetsUsIn(const std::string& merged, const RenderContext& c) {
  YAML::Node root;
  try {
    root = YAML::Load(merged);
  } catch (const YAML::Exception&) {
    return Status::Ok();  // MergePatroniOverlay wrote it: it parses
  }
  if (!root.IsMap() || !root["postgresql"].IsMap()) return Status::Ok();
  std::vector<std::string> from = {c.plan.gateway};
  for (const auto& h : c.plan.hosts) from.push_back(h.address);
  const std::string why = HbaLocksOut(root["postgresql"]["pg_hba"], from, c.topology.tls.postgres);
  if (why.empty()) return Status::Ok();
  return InvalidInput(
      fmt::format("the Patroni overlay {} shuts pgha-chaos out on subnet {} ({}): let these users in "
                  "from {} by password",
                  c.topology.patroni.config_overlay, c.plan.subnet, why, c.plan.subnet));
}

constexpr const char* kPatroniUser = "postgres";

std::string Bool(bool b) { return b ? "true" : "false"; }
int64_t WholeSecondsOf(Duration d) { return std::chrono::duration_cast<std::chrono::seconds>(d).count(); }

TemplateContext PatroniVars(const RenderContext& c) {
  const auto& p = c.topology.patroni;
  std::string etcd_hosts;
  for (const auto* e : c.plan.HostsRunning("etcd"))
    etcd_hosts += (etcd_hosts.empty() ? "" : ",") + fmt::format("{}:{}", e->address, e->Port("etcd", "client"));
  TemplateContext v = CommonTemplateVars(c.plan, c.host);
  v.Set("postgres_port", std::to_string(c.host.Port("patroni", "postgres")))
      .Set("patroni_port", std::to_string(c.host.Port("patroni", "api")))
      .Set("etcd_hosts", etcd_hosts)
      .Set("ttl", std::to_string(WholeSecondsOf(p.ttl)))
      .Set("loop_wait", std::to_string(WholeSecondsOf(p.loop_wait)))
      .Set("retry_timeout", std::to_string(WholeSecondsOf(p.retry_timeout)))
      .Set("maximum_lag_on_failover", std::to_string(p.maximum_lag_on_failover))
      .Set("synchronous_mode", Bool(p.synchronous_mode))
      .Set("synchronous_mode_strict", Bool(p.synchronous_mode_strict))
      .Set("use_pg_rewind", Bool(p.use_pg_rewind))
      .Set("data_dir", PostgresDataDir(c.host))
      .Set("bin_dir", PostgresqlBinDirFor(c.plan))
      .Set("superuser_password", c.secrets.superuser_password)
      .Set("replication_password", c.secrets.replication_password)
      .Set("rewind_password", c.secrets.rewind_password)
      .SetFlag("api_tls", c.plan.tls.links.patroni_api)
      .SetFlag("etcd_tls", c.plan.tls.links.etcd)
      .SetFlag("pg_tls", c.plan.tls.links.postgres)
      .Set("hba_type", c.plan.tls.links.postgres ? "hostssl" : "host")
      .SetFlag("watchdog", c.host.Runs("watchdog"))
      .Set("watchdog_device", WatchdogDevice(c.host))
      .Set("watchdog_safety_margin", std::to_string(p.watchdog_safety_margin));
  auto& params = v.lists["postgresql_parameters"];
  for (const auto& [k, value] : p.postgresql_parameters) {
    TemplateContext item;
    item.Set("key", k).Set("value", value);
    params.push_back(item);
  }
  return v;
}

class Patroni : public Service {
 public:
  std::string Kind() const override { return "patroni"; }
  ServiceTier Tier() const override { return ServiceTier::kDatabase; }
  std::map<std::string, int> DefaultPorts() const override { return {{"postgres", 5432}, {"api", 8008}}; }
  std::string ClientPortName() const override { return "postgres"; }
  std::vector<RequiredProgram> Programs() const override {
    return {{"/usr/bin/patroni", "patroni"}, {std::string(kPostgresqlBin) + "/postgres", "postgresql-15"}};
  }
  std::vector<VersionQuery> Versions() const override {
    return {{"postgresql", {std::string(kPostgresqlBin) + "/postgres", "--version"}},
            {"patroni", {"/usr/bin/patroni", "--version"}}};
  }
  // Patroni writes below its host folder (pgpass, the socket) and owns its data volume.
  std::vector<DirectorySpec> Directories(const ClusterPlan& plan, const HostPlan& h) const override {
    std::vector<DirectorySpec> dirs = InitdbCacheDirectories(plan, kPatroniUser);
    dirs.push_back({h.dir, 0755, kPatroniUser});
    if (h.data_volume > 0) dirs.push_back({DataVolumeDir(h), 0700, kPatroniUser});
    return dirs;
  }
  Result<std::vector<FileSpec>> Render(const RenderContext& c) const override {
    auto text = RenderFixture(c.fixtures_dir, "patroni.yml", PatroniVars(c));
    if (!text.ok()) return text.status();
    if (!c.topology.patroni.config_overlay.empty()) {
      auto merged = MergePatroniOverlay(*text, c.topology.patroni.config_overlay);
      if (!merged.ok()) return merged.status();
      text = *merged;
      if (Status s = LetsUsIn(*text, c); !s.ok()) return s;
    }
    auto files = InitdbCacheFiles(c.plan, c.fixtures_dir);
    if (!files.ok()) return files.status();
    files->push_back({c.host.dir + "/patroni.yml", *text, 0600, kPatroniUser});
    return files;
  }
  DaemonLaunch Launch(const ClusterPlan&, const HostPlan& h) const override {
    return ServiceDaemon("patroni", h, {"/usr/bin/patroni", h.dir + "/patroni.yml"}, kPatroniUser,
                         "/var/lib/postgresql");
  }
};

}  // namespace

const Service* PatroniService() {
  static const Patroni kPatroni;
  return &kPatroni;
}

}  // namespace pgha
