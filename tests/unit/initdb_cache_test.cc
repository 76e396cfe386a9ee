// The initdb cache: what the Patroni service writes for it (per provider)
// and what the pg_ctl of fixtures/pg_ctl.sh does, run by /bin/sh against
// fake PostgreSQL programs that log each call.
#include "services/initdb_cache.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/files.h"
#include "scenario/topology_loader.h"
#include "services/fixtures.h"
#include "services/registry.h"

namespace pgha {
namespace {
namespace fs = std::filesystem;

ClusterPlan InitdbCompactPlan(bool share) {
  auto t = LoadTopology(PGHA_SOURCE_DIR "/fixtures/topologies/compact.yaml")->topology;
  auto plan = *MakePlan(t, "abc123", "/w", "netns");
  plan.hosts_share_cache = share;
  return plan;
}

std::string PatroniYml(const ClusterPlan& plan) {
  auto t = LoadTopology(PGHA_SOURCE_DIR "/fixtures/topologies/compact.yaml")->topology;
  auto files =
      FindService("patroni")->Render({plan, plan.hosts[0], t, Secrets::Generate(), PGHA_SOURCE_DIR "/fixtures"});
  EXPECT_TRUE(files.ok()) << files.status().message();
  for (const auto& f : *files)
    if (f.path.size() > 11 && f.path.substr(f.path.size() - 11) == "patroni.yml") return f.content;
  return "";
}

TEST(InitdbCache, OnlyWhereTheHostsShareTheCacheFolder) {
  const ClusterPlan shared = InitdbCompactPlan(true);
  EXPECT_EQ(PostgresqlBinDirFor(shared), "/w/cache/postgresql-15/bin");
  EXPECT_NE(PatroniYml(shared).find("bin_dir: /w/cache/postgresql-15/bin\n"), std::string::npos);
  auto files = InitdbCacheFiles(shared, PGHA_SOURCE_DIR "/fixtures");
  ASSERT_TRUE(files.ok());
  ASSERT_FALSE(files->empty());
  EXPECT_EQ((*files)[0].path, "/w/cache/postgresql-15/bin/pg_ctl");
  EXPECT_NE((*files)[0].content.find("cache=/w/cache/postgresql-15/initdb\n"), std::string::npos);
  bool links_postgres = false;
  for (const auto& f : *files) links_postgres |= f.link_to == "/usr/lib/postgresql/15/bin/postgres";
  EXPECT_TRUE(links_postgres);
  const auto dirs = InitdbCacheDirectories(shared, "postgres");
  ASSERT_EQ(dirs.size(), 2u);
  EXPECT_EQ(dirs[1].path, "/w/cache/postgresql-15/initdb");
  EXPECT_EQ(dirs[1].owner, "postgres");

  const ClusterPlan apart = InitdbCompactPlan(false);  // containers, ssh
  EXPECT_EQ(PostgresqlBinDirFor(apart), "/usr/lib/postgresql/15/bin");
  EXPECT_NE(PatroniYml(apart).find("bin_dir: /usr/lib/postgresql/15/bin\n"), std::string::npos);
  EXPECT_TRUE(InitdbCacheFiles(apart, PGHA_SOURCE_DIR "/fixtures")->empty());
  EXPECT_TRUE(InitdbCacheDirectories(apart, "postgres").empty());
}

// A folder with fake pg_ctl, initdb and postgres that append their
// arguments to calls.log, and the wrapper rendered against them.
class InitdbCacheScript : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("pgha-initdb-cache-" + std::to_string(getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "real");
    fs::create_directories(root_ / "cache");
    Fake("pg_ctl",
         "[ \"$1\" = initdb ] && { mkdir -p \"$3/global\"; echo control > \"$3/global/pg_control\"; "
         "echo 15 > \"$3/PG_VERSION\"; }; exit 0");
    Fake("initdb", "[ \"$1\" = --version ] && echo 'initdb (PostgreSQL) 15.99'; exit 0");
    Fake("postgres", "cat >> \"$3/single.sql\"; exit 0");
    TemplateContext vars;
    vars.Set("postgresql_bin", (root_ / "real").string()).Set("initdb_cache", (root_ / "cache").string());
    auto script = RenderFixture(PGHA_SOURCE_DIR "/fixtures", "pg_ctl.sh", vars);
    ASSERT_TRUE(script.ok());
    ASSERT_TRUE(WriteFileAtomic((root_ / "pg_ctl").string(), *script, 0755).ok());
    ASSERT_TRUE(WriteFileAtomic((root_ / "pw").string(), "s3cret", 0600).ok());
  }
  void TearDown() override { fs::remove_all(root_); }

  void Fake(const std::string& name, const std::string& body) {
    const std::string text =
        "#!/bin/sh\necho \"" + name + " $*\" >> " + (root_ / "calls.log").string() + "\n" + body + "\n";
    ASSERT_TRUE(WriteFileAtomic((root_ / "real" / name).string(), text, 0755).ok());
  }
  // Runs our pg_ctl; returns its exit status.
  int PgCtl(const std::string& args) {
    const std::string cmd = (root_ / "pg_ctl").string() + " " + args + " > " + (root_ / "out.log").string() + " 2>&1";
    const int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string Read(const fs::path& p) {
    auto text = ReadTextFile(p.string());
    return text.ok() ? *text : "";
  }
  size_t Count(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  }
  std::string Initdb(const std::string& dir, const std::string& options) {
    return "initdb -D " + (root_ / dir).string() + " -o '" + options + "'";
  }

  fs::path root_;
};

TEST_F(InitdbCacheScript, InitdbRunsOnceThenItsCopyServesWithThisClustersPassword) {
  const std::string options =
      "--encoding=UTF8 --data-checksums --username=postgres --pwfile=" + (root_ / "pw").string();
  ASSERT_EQ(PgCtl(Initdb("d1", options)), 0) << Read(root_ / "out.log");
  EXPECT_EQ(Count(Read(root_ / "calls.log"), "pg_ctl initdb"), 1u);
  EXPECT_TRUE(fs::exists(root_ / "d1/global/pg_control"));
  // The template holds no run's password.
  size_t templates = 0;
  for (const auto& e : fs::directory_iterator(root_ / "cache")) {
    ++templates;
    EXPECT_EQ(Read(e.path() / "single.sql"), "ALTER ROLE postgres PASSWORD NULL\n");
  }
  EXPECT_EQ(templates, 1u);

  ASSERT_EQ(PgCtl(Initdb("d2", options)), 0) << Read(root_ / "out.log");
  EXPECT_EQ(Count(Read(root_ / "calls.log"), "pg_ctl initdb"), 1u) << "the second initdb must be a copy";
  EXPECT_EQ(Read(root_ / "d2/global/pg_control"), "control\n");
  EXPECT_EQ(Read(root_ / "d2/single.sql"),
            "ALTER ROLE postgres PASSWORD NULL\nALTER ROLE postgres PASSWORD 's3cret'\n");
  EXPECT_NE(Read(root_ / "out.log").find("copied the data directory initdb made once"), std::string::npos);
  EXPECT_NE(Read(root_ / "calls.log").find("initdb --sync-only -D " + (root_ / "d2").string()), std::string::npos);
}

TEST_F(InitdbCacheScript, OtherOptionsMakeAnotherTemplate) {
  ASSERT_EQ(PgCtl(Initdb("d1", "--encoding=UTF8")), 0);
  ASSERT_EQ(PgCtl(Initdb("d2", "--encoding=SQL_ASCII")), 0);
  ASSERT_EQ(PgCtl(Initdb("d3", "--encoding=UTF8")), 0);
  EXPECT_EQ(Count(Read(root_ / "calls.log"), "pg_ctl initdb"), 2u);
  EXPECT_EQ(std::distance(fs::directory_iterator(root_ / "cache"), fs::directory_iterator()), 2);
}

TEST_F(InitdbCacheScript, WhatItCannotKeyGoesToPostgresqlsOwnPgCtl) {
  ASSERT_EQ(PgCtl(Initdb("d1", "--encoding=UTF8")), 0);
  ASSERT_EQ(PgCtl(Initdb("d2", "--encoding=UTF8 --waldir=/elsewhere")), 0);
  EXPECT_NE(Read(root_ / "calls.log").find("--waldir=/elsewhere"), std::string::npos);
  std::ofstream(root_ / "pw") << "it's";  // a password the script will not quote
  ASSERT_EQ(PgCtl(Initdb("d3", "--encoding=UTF8 --pwfile=" + (root_ / "pw").string())), 0);
  EXPECT_EQ(Count(Read(root_ / "calls.log"), "pg_ctl initdb"), 3u);
  ASSERT_EQ(PgCtl("promote -D " + (root_ / "d1").string()), 0);
  EXPECT_NE(Read(root_ / "calls.log").find("pg_ctl promote -D"), std::string::npos);
}

}  // namespace
}  // namespace pgha
