#include "services/initdb_cache.h"

#include "services/fixtures.h"

namespace pgha {
namespace {

// Every program of Debian's postgresql-15 but pg_ctl: Patroni calls
// postgres, pg_isready, pg_controldata, pg_basebackup, pg_rewind and
// pg_waldump from bin_dir, and a user's own replica or bootstrap method
// may call any other.
constexpr const char* kLinkedPrograms[] = {
    "clusterdb",       "createdb",   "createuser",        "dropdb",        "dropuser",       "initdb",
    "oid2name",        "pg_amcheck", "pg_archivecleanup", "pg_basebackup", "pg_checksums",   "pg_config",
    "pg_controldata",  "pg_dump",    "pg_dumpall",        "pg_isready",    "pg_receivewal",  "pg_recvlogical",
    "pg_resetwal",     "pg_restore", "pg_rewind",         "pg_test_fsync", "pg_test_timing", "pg_upgrade",
    "pg_verifybackup", "pg_waldump", "pgbench",           "postgres",      "postmaster",     "psql",
    "reindexdb",       "vacuumdb",   "vacuumlo"};

std::string CacheRoot(const ClusterPlan& plan) { return plan.cache_dir + "/postgresql-15"; }
std::string TemplatesDir(const ClusterPlan& plan) { return CacheRoot(plan) + "/initdb"; }
bool Uses(const ClusterPlan& plan) { return plan.hosts_share_cache && !plan.cache_dir.empty(); }

}  // namespace

std::string PostgresqlBinDirFor(const ClusterPlan& plan) {
  return Uses(plan) ? CacheRoot(plan) + "/bin" : kPostgresqlBin;
}

std::vector<DirectorySpec> InitdbCacheDirectories(const ClusterPlan& plan, const std::string& postgres_user) {
  if (!Uses(plan)) return {};
  return {{PostgresqlBinDirFor(plan), 0755, ""}, {TemplatesDir(plan), 0700, postgres_user}};
}

Result<std::vector<FileSpec>> InitdbCacheFiles(const ClusterPlan& plan, const std::string& fixtures_dir) {
  if (!Uses(plan)) return std::vector<FileSpec>{};
  TemplateContext vars;
  vars.Set("postgresql_bin", kPostgresqlBin).Set("initdb_cache", TemplatesDir(plan));
  auto script = RenderFixture(fixtures_dir, "pg_ctl.sh", vars);
  if (!script.ok()) return script.status();
  const std::string bin = PostgresqlBinDirFor(plan);
  std::vector<FileSpec> files = {{bin + "/pg_ctl", *script, 0755, ""}};
  for (const char* program : kLinkedPrograms) {
    FileSpec link;
    link.path = bin + "/" + program;
    link.link_to = std::string(kPostgresqlBin) + "/" + program;
    files.push_back(link);
  }
  return files;
}

}  // namespace pgha
