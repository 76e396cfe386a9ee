// Integration tests on the real cluster (root; Debian's etcd, Patroni,
// PostgreSQL 15 and HAProxy). They drive the pgha-chaos binary exactly as
// a user would and check that nothing of ours is left afterwards.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli_helpers.h"
#include "client/sql_client.h"
#include "cluster/workdir.h"
#include "model/cluster_plan.h"

namespace pgha {
namespace {
using namespace itest;
namespace fs = std::filesystem;

class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "integration tests need root (network namespaces)";
    ASSERT_EQ(itest::Join(Leftovers()), "") << "the machine was not clean before the test";
  }
  void TearDown() override {
    if (geteuid() != 0) return;
    if (!Leftovers().empty()) Cli({"cleanup"});  // so one failure does not cascade
  }
};

TEST_F(ClusterTest, UpWritesThroughPrimaryReadsThroughReplicasAndDownLeavesNothing) {
  auto up = Cli({"up", "--subnet", kSubnet});
  ASSERT_EQ(up.exit_code, 0) << up.err << up.out;
  EXPECT_NE(up.out.find("port=5000"), std::string::npos) << up.out;
  EXPECT_NE(up.err.find("healthy:"), std::string::npos) << "progress is shown: " << up.err;

  auto run = ReadCurrentRun(kWorkdir);
  ASSERT_TRUE(run);
  auto secrets = LoadSecrets(RunDir(kWorkdir, *run));
  ASSERT_TRUE(secrets.ok());
  EXPECT_EQ(up.out.find(secrets->superuser_password), std::string::npos) << "the password is never printed";
  EXPECT_EQ(up.err.find(secrets->superuser_password), std::string::npos);

  // Exactly one leader and two streaming replicas, seen by `status --json`.
  auto status = Cli({"status", "--json"});
  ASSERT_EQ(status.exit_code, 0) << status.out << status.err;
  auto j = nlohmann::json::parse(status.out);
  EXPECT_TRUE(j["healthy"].get<bool>());
  int leaders = 0, replicas = 0, streaming = 0;
  for (const auto& m : j["members"]) {
    if (m["role"] == "leader") ++leaders;
    if (m["role"] == "replica" && m["state"] == "running") ++replicas;
  }
  for (const auto& r : j["replication"])
    if (r["state"] == "streaming") ++streaming;
  EXPECT_EQ(leaders, 1);
  EXPECT_EQ(replicas, 2);
  EXPECT_EQ(streaming, 2);

  // A row written through HAProxy's 5000 is read back through 5001.
  const std::string lb = "10.213.7.13";
  LibpqClient sql;
  PgTarget primary;
  primary.host = lb;
  primary.port = 5000;
  primary.password = secrets->superuser_password;
  primary.application_name = "itest";
  auto w = sql.QueryOnce(primary,
                         "CREATE TABLE itest(k text primary key); INSERT INTO itest VALUES ('written-through-5000') "
                         "RETURNING pg_is_in_recovery()",
                         std::chrono::seconds(10));
  ASSERT_TRUE(w.status.ok()) << w.status.message();
  PgTarget replica = primary;
  replica.port = 5001;
  std::string seen, in_recovery;
  for (int i = 0; i < 50 && seen.empty(); ++i) {  // replication is asynchronous: up to 5 s
    auto r = sql.QueryOnce(replica, "SELECT k, pg_is_in_recovery() AS rec FROM itest", std::chrono::seconds(5));
    if (r.status.ok() && !r.rows.rows.empty()) {
      seen = r.rows.Cell(0, "k").value_or("");
      in_recovery = r.rows.Cell(0, "rec").value_or("");
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  EXPECT_EQ(seen, "written-through-5000");
  EXPECT_EQ(in_recovery, "t") << "5001 must land on a replica";

  auto text_status = Cli({"status"});
  EXPECT_EQ(text_status.exit_code, 0);
  EXPECT_NE(text_status.out.find("leader"), std::string::npos);

  auto down = Cli({"down"});
  ASSERT_EQ(down.exit_code, 0) << down.err;
  EXPECT_EQ(itest::Join(Leftovers()), "");
  EXPECT_FALSE(fs::exists(RunDir(kWorkdir, *run)));
  EXPECT_TRUE(ListManifestRuns(kWorkdir).empty());
  EXPECT_EQ(Cli({"status"}).exit_code, 1) << "no cluster is up any more";
}

// Waits until a manifest records a started Patroni: `up` is then halfway.
bool WaitUntilHalfway(std::chrono::seconds deadline) {
  auto end = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < end) {
    for (const auto& id : ListManifestRuns(kWorkdir))
      if (ReadAll(ManifestPath(kWorkdir, id)).find("\"patroni@node3\"") != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

TEST_F(ClusterTest, SigkillHalfwayThroughUpThenCleanupRemovesEverything) {
  pid_t pid = CliInBackground({"up", "--subnet", kSubnet}, "/tmp/pgha-itest-sigkill.log");
  ASSERT_TRUE(WaitUntilHalfway(std::chrono::seconds(30))) << ReadAll("/tmp/pgha-itest-sigkill.log");
  kill(pid, SIGKILL);
  ASSERT_EQ(WaitChild(pid, std::chrono::seconds(10)), 128 + SIGKILL);
  // The killed run left its cluster behind...
  auto left = Leftovers();
  EXPECT_GE(left.size(), 9u) << Join(left);
  // ...and cleanup removes it from the manifest.
  auto cleanup = Cli({"cleanup"});
  EXPECT_EQ(cleanup.exit_code, 0) << cleanup.err << cleanup.out;
  EXPECT_EQ(itest::Join(Leftovers()), "");
  EXPECT_TRUE(ListManifestRuns(kWorkdir).empty());
  EXPECT_EQ(Cli({"cleanup"}).exit_code, 0) << "cleanup twice is fine";
}

TEST_F(ClusterTest, CtrlCDuringUpLeavesNothingBehind) {
  for (int sig : {SIGINT, SIGTERM}) {
    pid_t pid = CliInBackground({"up", "--subnet", kSubnet}, "/tmp/pgha-itest-sigint.log");
    ASSERT_TRUE(WaitUntilHalfway(std::chrono::seconds(30))) << ReadAll("/tmp/pgha-itest-sigint.log");
    kill(pid, sig);
    auto code = WaitChild(pid, std::chrono::seconds(30));
    ASSERT_TRUE(code.has_value()) << "up did not exit within 30 s of the signal";
    EXPECT_EQ(*code, 130) << ReadAll("/tmp/pgha-itest-sigint.log");
    EXPECT_EQ(itest::Join(Leftovers()), "") << "after signal " << sig;
    EXPECT_TRUE(ListManifestRuns(kWorkdir).empty());
  }
}

TEST_F(ClusterTest, BadInputFailsClearlyAndCreatesNothing) {
  const std::string bad = "/tmp/pgha-itest-bad-topology.yaml";
  {
    std::ofstream f(bad);
    f << "name: bad\nhosts:\n  - name: node1\n    roles: [etcd, patroni]\npatroni:\n  ttl: 10 sec\n";
  }
  auto r = Cli({"up", "--topology", bad, "--subnet", kSubnet});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(bad + ":6:8: patroni.ttl: bad duration \"10 sec\""), std::string::npos) << r.err;

  // Loopback is no network for hosts (refused before preflight asks the machine's routes).
  r = Cli({"up", "--subnet", "127.0.0.0/24"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("subnet 127.0.0.0/24 is loopback (127.0.0.0/8)"), std::string::npos) << r.err;

  r = Cli({"up", "--subnet", "10.213.7.0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("needs a prefix length"), std::string::npos) << r.err;

  r = Cli({"up", "--no-such-flag"});
  EXPECT_EQ(r.exit_code, 2);

  // A user's Patroni overlay that sets what the harness owns: file:line, nothing started.
  const std::string overlay = "/tmp/pgha-itest-overlay.yml";
  std::ofstream(overlay) << "bootstrap:\n  dcs:\n    ttl: 30\npostgresql:\n  listen: 0.0.0.0:5432\n";
  const std::string mine = "/tmp/pgha-itest-mine.yaml";
  std::ofstream(mine) << "name: mine\nhosts:\n  - {name: a, roles: [etcd, patroni]}\npatroni:\n  config_overlay: "
                      << overlay << "\n";
  r = Cli({"up", "--topology", mine, "--subnet", kSubnet});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(overlay + ":5:3: \"postgresql.listen\" is set by pgha-chaos"), std::string::npos) << r.err;
  r = Cli({"run", PGHA_SOURCE_DIR "/scenarios/primary-kill.yaml", "--topology", mine, "--subnet", kSubnet});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = Cli({"up", "--topology", "no-such-shape"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no-such-shape.yaml"), std::string::npos) << r.err;

  // Not root: run as nobody.
  BoostProcessRunner runner;
  auto nobody =
      runner.Run(CommandSpec::Of({"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", PGHA_BINARY,
                                  "--workdir", "/tmp/pgha-itest-nobody", "up", "--subnet", kSubnet}));
  ASSERT_TRUE(nobody.ok());
  EXPECT_EQ(nobody->exit_code, 2);
  EXPECT_NE(nobody->err.find("must run as root"), std::string::npos) << nobody->err;

  EXPECT_EQ(itest::Join(Leftovers()), "");
  EXPECT_TRUE(ListManifestRuns(kWorkdir).empty());
}

}  // namespace
}  // namespace pgha
