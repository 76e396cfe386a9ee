// The initdb cache: PostgreSQL's programs as Patroni calls them, with a
// pg_ctl of ours in front (fixtures/pg_ctl.sh) whose `pg_ctl initdb` copies
// a data directory that initdb made once for the same PostgreSQL build,
// options and locale environment, instead of running initdb (about 1 s of
// a bring-up, more on a busy machine). Only where the provider's hosts see
// the plan's cache folder at the same path (ClusterPlan::hosts_share_cache);
// elsewhere Patroni calls PostgreSQL's own programs. What this reuses and
// why it cannot change a result: docs/getting-started.md, "What a run reuses".
// Pure: it says what to write; deploy/ writes it through the provider.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "model/cluster_plan.h"
#include "services/service.h"

namespace pgha {

inline constexpr const char* kPostgresqlBin = "/usr/lib/postgresql/15/bin";

// The folder Patroni's postgresql.bin_dir names for this plan.
std::string PostgresqlBinDirFor(const ClusterPlan& plan);
// The folders the cache needs (none without one): the templates' folder
// belongs to the postgres user, who runs initdb.
std::vector<DirectorySpec> InitdbCacheDirectories(const ClusterPlan& plan, const std::string& postgres_user);
// The bin folder: our pg_ctl and a link to each of PostgreSQL's programs.
Result<std::vector<FileSpec>> InitdbCacheFiles(const ClusterPlan& plan, const std::string& fixtures_dir);

}  // namespace pgha
