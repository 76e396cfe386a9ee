// Integration tests of the seeds' parts on the real components (Debian's
// keepalived, PgBouncer and OpenSSL-backed TLS in etcd, Patroni and
// PostgreSQL), stood up by `pgha-chaos up` and `run` as a user would:
// writes through the VIP land on the primary and resume when the VIP's
// holder dies; etcd refuses a client without a certificate; PostgreSQL
// verifies against the run's CA and refuses everything else; writes through
// PgBouncer resume after a primary kill; the emulated watchdog fences a
// frozen primary. Nothing of ours is left afterwards, VIP and keys included.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli_helpers.h"
#include "client/http_client.h"
#include "client/sql_client.h"
#include "cluster/manifest.h"
#include "cluster/workdir.h"
#include "model/cluster_plan.h"

namespace pgha {
namespace {
using namespace itest;
namespace fs = std::filesystem;
using nlohmann::json;

const std::string kTopologies = PGHA_SOURCE_DIR "/fixtures/topologies/";
const std::string kSeedOut = "/tmp/pgha-itest-seed-results";

class SeedTest : public CleanMachineTest {
 protected:
  SeedTest() : CleanMachineTest(kSeedOut) {}
  // `up` of a topology; fills plan_ and secrets_.
  void Up(const std::string& topology) {
    auto up = Cli({"up", "--topology", kTopologies + topology + ".yaml", "--subnet", kSubnet});
    ASSERT_EQ(up.exit_code, 0) << up.err << up.out;
    auto run = ReadCurrentRun(kWorkdir);
    ASSERT_TRUE(run);
    run_ = *run;
    auto plan = LoadPlan(RunDir(kWorkdir, run_));
    auto secrets = LoadSecrets(RunDir(kWorkdir, run_));
    ASSERT_TRUE(plan.ok() && secrets.ok());
    plan_ = *plan;
    secrets_ = *secrets;
  }
  void DownLeavesNothing() {
    auto down = Cli({"down"});
    EXPECT_EQ(down.exit_code, 0) << down.err;
    EXPECT_EQ(itest::Join(Leftovers()), "");
    EXPECT_FALSE(fs::exists(RunDir(kWorkdir, run_))) << "configs, certificates and keys go with the run";
  }
  PgTarget Target(const std::string& host, int port) {
    PgTarget t;
    t.host = host;
    t.port = port;
    t.password = secrets_.superuser_password;
    t.application_name = "itest";
    return t;
  }
  // The keepalived hosts whose interface carries the VIP.
  std::vector<std::string> VipHolders() {
    BoostProcessRunner runner;
    std::vector<std::string> holders;
    for (const auto* h : plan_.HostsRunning("keepalived")) {
      auto r = runner.Run(CommandSpec::Of({"ip", "-n", h->scope, "-4", "-o", "addr", "show", "dev", "eth0"}));
      if (r.ok() && r->out.find(" " + plan_.vip + "/") != std::string::npos) holders.push_back(h->name);
    }
    return holders;
  }
  std::string run_;
  ClusterPlan plan_;
  Secrets secrets_;
};

// SIGKILL of every process of `host` whose recorded daemon is one of `labels`, and of its children.
void KillDaemons(const std::string& run, const std::vector<std::string>& labels) {
  auto m = Manifest::Open(ManifestPath(kWorkdir, run));
  ASSERT_TRUE(m.ok());
  std::vector<int> pids;
  for (const auto& r : (*m)->Snapshot())
    if (r.kind == kProcessResource && std::count(labels.begin(), labels.end(), r.name)) pids.push_back(r.pid);
  ASSERT_EQ(pids.size(), labels.size());
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string stat = ReadAll(e.path().string() + "/stat");
    const auto close = stat.rfind(')');
    if (close == std::string::npos) continue;
    const int ppid = std::atoi(stat.substr(close + 4).c_str());
    if (std::count(pids.begin(), pids.end(), ppid)) kill(std::atoi(e.path().filename().c_str()), SIGKILL);
  }
  for (int pid : pids) kill(pid, SIGKILL);
}

TEST_F(SeedTest, ThroughTheVipWritesLandOnThePrimaryAndResumeWhenItsHolderDies) {
  Up("seed-001-haproxy-vip");
  ASSERT_EQ(plan_.vip, "10.213.7.110");
  LibpqClient sql;
  auto w = sql.QueryOnce(Target(plan_.vip, 5000), "SELECT host(inet_server_addr()) AS a, pg_is_in_recovery() AS r",
                         std::chrono::seconds(5));
  ASSERT_TRUE(w.status.ok()) << w.status.message();
  EXPECT_EQ(w.rows.Cell(0, "r"), "f") << "the VIP leads to the primary";
  const auto before = VipHolders();
  ASSERT_EQ(before.size(), 1u) << itest::Join(before);
  const std::string holder = before[0];
  // etcd with mutual TLS: no certificate, no answer; the run's client certificate, healthy.
  HttplibClient http;
  HttpTarget etcd{plan_.hosts[0].address, 2379, plan_.tls.CaFile(), "", ""};
  EXPECT_FALSE(http.Get(etcd, "/health", std::chrono::seconds(2)).ok())
      << "etcd answered a client without a certificate";
  etcd.cert_file = plan_.tls.ClientCert();
  etcd.key_file = plan_.tls.ClientKey();
  auto health = http.Get(etcd, "/health", std::chrono::seconds(2));
  ASSERT_TRUE(health.ok()) << health.status().message();
  EXPECT_EQ(health->status, 200);
  // The VIP's holder loses keepalived and HAProxy: another host takes it and writes resume.
  KillDaemons(run_, {"keepalived@" + holder, "haproxy@" + holder});
  const auto killed = std::chrono::steady_clock::now();
  bool written = false;
  while (std::chrono::steady_clock::now() - killed < std::chrono::seconds(10) && !written) {
    written =
        sql.QueryOnce(Target(plan_.vip, 5000), "CREATE TABLE IF NOT EXISTS itest_vip(k int)", std::chrono::seconds(1))
            .status.ok();
    if (!written) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const double after = std::chrono::duration<double>(std::chrono::steady_clock::now() - killed).count();
  EXPECT_TRUE(written) << "no write through the VIP within 10 s of killing its holder";
  EXPECT_LT(after, 3.0);
  // Another host took the VIP (the killed master may still have it on its interface).
  const auto holders_after = VipHolders();
  EXPECT_TRUE(
      std::any_of(holders_after.begin(), holders_after.end(), [&](const std::string& h) { return h != holder; }))
      << "holders after the kill: " << itest::Join(holders_after);
  DownLeavesNothing();
}

TEST_F(SeedTest, PostgresqlWithTlsVerifiesAgainstTheRunsCaAndRefusesEverythingElse) {
  Up("seed-004-tls");
  LibpqClient sql;
  PgTarget verified = Target(plan_.vip, 5000);
  verified.sslmode = "verify-full";
  verified.sslrootcert = plan_.tls.CaFile();
  auto ok =
      sql.QueryOnce(verified, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", std::chrono::seconds(5));
  ASSERT_TRUE(ok.status.ok()) << ok.status.message();
  EXPECT_EQ(ok.rows.Cell(0, "ssl"), "t");
  PgTarget other_ca = verified;
  other_ca.sslrootcert = "/etc/ssl/certs/ca-certificates.crt";
  auto refused = sql.QueryOnce(other_ca, "SELECT 1", std::chrono::seconds(5));
  EXPECT_FALSE(refused.status.ok());
  EXPECT_NE(refused.status.message().find("certificate verify failed"), std::string::npos) << refused.status.message();
  PgTarget plain = Target(plan_.vip, 5000);
  auto no_tls = sql.QueryOnce(plain, "SELECT 1", std::chrono::seconds(5));
  EXPECT_FALSE(no_tls.status.ok());
  EXPECT_NE(no_tls.status.message().find("no encryption"), std::string::npos) << no_tls.status.message();
  struct stat st {};
  ASSERT_EQ(stat(plan_.tls.ClientKey().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "keys are private";
  DownLeavesNothing();
}

TEST_F(SeedTest, WritesThroughPgbouncerResumeAfterThePrimaryIsKilled) {
  // PgBouncer on the load-balancer host, in front of HAProxy's primary port.
  const std::string topo = "/tmp/pgha-itest-pgbouncer.yaml";
  std::ofstream(topo) << "name: pgbouncer-over-haproxy\nhosts:\n  - {name: node1, roles: [etcd, patroni]}\n"
                         "  - {name: node2, roles: [etcd, patroni]}\n  - {name: node3, roles: [etcd, patroni]}\n"
                         "  - {name: lb, roles: [haproxy, pgbouncer]}\npgbouncer: {backend: router}\n"
                         "endpoints:\n  read_write: {host: lb, port: 6432}\n  read_only: {host: lb, port: 5001}\n";
  auto r = Cli({"run", PGHA_SOURCE_DIR "/scenarios/primary-kill.yaml", "--topology", topo, "--output", kSeedOut,
                "--subnet", kSubnet, "--seed", "21"},
               std::chrono::seconds(300));
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err << r.out;
  const json res = json::parse(ReadAll(kSeedOut + "/primary-kill@pgbouncer-over-haproxy/result.json"));
  const auto& m = res["measurements"];
  ASSERT_FALSE(m["failover_time_s"].is_null());
  EXPECT_LT(m["failover_time_s"].get<double>(), 40.0) << "writes through PgBouncer came back";
  EXPECT_LE(m["lost_keys"].size(), 2u) << "asynchronous: at most one per writer (primary-kill.yaml)";
  EXPECT_GT(m["writes"]["ok"].get<int>(), 200);
  EXPECT_EQ(res["settings"]["pgbouncer"]["backend"], "router");
  EXPECT_EQ(itest::Join(Leftovers()), "");
}

TEST_F(SeedTest, TheEmulatedWatchdogFencesAFrozenPrimaryBeforeAReplicaIsPromoted) {
  auto r = Cli({"run", PGHA_SOURCE_DIR "/scenarios/split-brain-watchdog.yaml", "--output", kSeedOut, "--subnet",
                kSubnet, "--seed", "31"},
               std::chrono::seconds(300));
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  const json res = json::parse(ReadAll(kSeedOut + "/split-brain-watchdog/result.json"));
  EXPECT_EQ(res["measurements"]["split_brain_s"].get<double>(), 0.0);
  // Asynchronous: a write acknowledged in the fence's last instant may be lost, as in primary-kill.
  EXPECT_LE(res["measurements"]["lost_keys"].size(), 2u);
  bool rebooted = false;
  for (const auto& j : res["journal"]) rebooted |= j["action"] == "reboot";
  EXPECT_TRUE(rebooted) << "the frozen primary's host was fenced and started again: " << res["journal"].dump();
  EXPECT_EQ(itest::Join(Leftovers()), "") << "the watchdogs and their pipes go with the run";
}

}  // namespace
}  // namespace pgha
