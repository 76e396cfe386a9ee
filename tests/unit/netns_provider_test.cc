#include <gtest/gtest.h>

#include <filesystem>

#include "cluster/fixtures.h"
#include "cluster/netns_provider.h"
#include "cluster/workdir.h"
#include "core/cancel.h"
#include "core/files.h"
#include "fakes/healthy_cluster.h"

namespace pgha {
namespace {
namespace fs = std::filesystem;
using namespace testing;

class ProviderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ResetCancelForTest();
    workdir_ = (fs::temp_directory_path() / ("pgha-provider-" + RandomHex(4))).string();
    topology_ = LoadTopology(PGHA_SOURCE_DIR "/fixtures/topologies/compact.yaml")->topology;
    topology_.up_timeout = std::chrono::seconds(10);
    options_.workdir = workdir_;
    options_.fixtures_dir = PGHA_SOURCE_DIR "/fixtures";
    options_.run_id = "abc123";
    options_.skip_preflight = true;
    options_.patroni_user = "";
  }
  void TearDown() override {
    ResetCancelForTest();
    fs::remove_all(workdir_);
  }
  NetnsProvider Provider() { return NetnsProvider({runner_, table_, clock_, http_, sql_}); }
  void AnswerHealthy() {
    auto plan = MakePlan(topology_, "abc123", workdir_);
    testing::AnswerHealthy(*plan, "node1", &http_, &sql_);
  }

  std::string workdir_;
  Topology topology_;
  UpOptions options_;
  FakeProcessTable table_;
  FakeProcessRunner runner_{&table_};
  FakeClock clock_;
  FakeHttpClient http_;
  FakeSqlClient sql_;
};

TEST_F(ProviderTest, UpBuildsNetworkStartsDaemonsAndWaitsForHealth) {
  AnswerHealthy();
  auto cluster = Provider().Up(topology_, options_);
  ASSERT_TRUE(cluster.ok()) << cluster.status().message();
  EXPECT_EQ(cluster->health.leader, "node1");
  // The bridge first, then per host a namespace and a veth with its address.
  EXPECT_EQ(runner_.commands[0], "ip link add pgcabc123br type bridge");
  EXPECT_EQ(runner_.commands[1], "ip addr add 10.77.0.1/24 dev pgcabc123br");
  EXPECT_NE(std::find(runner_.commands.begin(), runner_.commands.end(), "ip netns add pgc-abc123-lb"), runner_.commands.end());
  EXPECT_NE(std::find(runner_.commands.begin(), runner_.commands.end(), "ip -n pgc-abc123-node2 addr add 10.77.0.11/24 dev eth0"),
            runner_.commands.end());
  for (const auto& c : runner_.commands) EXPECT_EQ(c.find("route add"), std::string::npos) << "no routes: " << c;
  // etcd x3, patroni x3, haproxy x1, each in its own namespace.
  ASSERT_EQ(runner_.spawned.size(), 7u);
  EXPECT_EQ(runner_.spawned[0].argv[0], "/usr/bin/etcd");
  EXPECT_EQ(runner_.spawned[0].netns, "pgc-abc123-node1");
  EXPECT_EQ(runner_.spawned[3].argv[0], "/usr/bin/patroni");
  EXPECT_EQ(runner_.spawned[6].argv[0], "/usr/sbin/haproxy");
  EXPECT_EQ(runner_.spawned[6].netns, "pgc-abc123-lb");
  // Configs and the plan are on disk; the secrets file is private.
  EXPECT_TRUE(fs::exists(workdir_ + "/runs/abc123/node1/patroni.yml"));
  EXPECT_TRUE(fs::exists(workdir_ + "/runs/abc123/lb/haproxy.cfg"));
  EXPECT_EQ(fs::status(workdir_ + "/runs/abc123/secrets.json").permissions() & fs::perms::others_read, fs::perms::none);
  EXPECT_EQ(*ReadCurrentRun(workdir_), "abc123");
  auto manifest = Manifest::Open(ManifestPath(workdir_, "abc123"));
  for (const auto& r : (*manifest)->Snapshot()) EXPECT_EQ(r.state, ResourceState::kCreated) << r.name;
}

TEST_F(ProviderTest, EveryResourceIsInTheManifestBeforeItIsCreated) {
  AnswerHealthy();
  int checked = 0;
  runner_.on_run = [&](const std::string& line) {
    std::string created;
    if (line.rfind("ip netns add ", 0) == 0) created = line.substr(13);
    else if (line.rfind("ip link add ", 0) == 0) created = line.substr(12, line.find(' ', 12) - 12);
    if (created.empty()) return;
    auto m = Manifest::Open(ManifestPath(workdir_, "abc123"));
    ASSERT_TRUE(m.ok());
    bool found = false;
    for (const auto& r : (*m)->Snapshot()) found |= r.name == created;
    EXPECT_TRUE(found) << created << " created before it was recorded";
    ++checked;
  };
  ASSERT_TRUE(Provider().Up(topology_, options_).ok());
  EXPECT_EQ(checked, 9);  // 1 bridge + 4 namespaces + 4 veths
}

TEST_F(ProviderTest, ADeadlineLeavesNothingBehindAndQuotesTheLogs) {
  // etcd answers, Patroni never does: the cluster never gets healthy.
  for (const char* a : {"10.77.0.10", "10.77.0.11", "10.77.0.12"}) http_.AnswerEtcd(a);
  auto cluster = Provider().Up(topology_, options_);
  ASSERT_FALSE(cluster.ok());
  EXPECT_EQ(cluster.status().code(), StatusCode::kTimeout);
  EXPECT_NE(cluster.status().message().find("not healthy after 10s"), std::string::npos) << cluster.status().message();
  EXPECT_EQ(table_.Count(), 0u) << "every spawned daemon was killed";
  EXPECT_FALSE(fs::exists(workdir_ + "/runs/abc123"));
  EXPECT_FALSE(fs::exists(ManifestPath(workdir_, "abc123")));
  EXPECT_FALSE(ReadCurrentRun(workdir_));
  EXPECT_NE(std::find(runner_.commands.begin(), runner_.commands.end(), "ip netns del pgc-abc123-node3"), runner_.commands.end());
  EXPECT_NE(std::find(runner_.commands.begin(), runner_.commands.end(), "ip link del pgcabc123br"), runner_.commands.end());
  EXPECT_LE(clock_.slept(), std::chrono::seconds(11));
}

TEST_F(ProviderTest, AFailedCommandMidwayTearsDownWhatWasMade) {
  CommandResult fail;
  fail.exit_code = 2;
  fail.err = "RTNETLINK answers: File exists";
  runner_.scripted.push_back({"ip netns add pgc-abc123-node3", fail});
  auto cluster = Provider().Up(topology_, options_);
  ASSERT_FALSE(cluster.ok());
  EXPECT_NE(cluster.status().message().find("RTNETLINK answers: File exists"), std::string::npos);
  EXPECT_TRUE(runner_.spawned.empty());
  EXPECT_NE(std::find(runner_.commands.begin(), runner_.commands.end(), "ip netns del pgc-abc123-node1"), runner_.commands.end());
  EXPECT_FALSE(fs::exists(ManifestPath(workdir_, "abc123")));
}

TEST_F(ProviderTest, ADaemonThatDiesFailsFastWithItsLog) {
  // Patroni on node2 exits right after start: its pid vanishes when health is first polled.
  bool killed = false;
  struct KillingHttp : FakeHttpClient {
    FakeProcessTable* table;
    bool* killed;
    Result<HttpResponse> Request(const std::string& m, const std::string& h, int p, const std::string& path,
                                 const std::string& b, Duration t) override {
      if (!*killed && path == "/cluster") {
        table->Remove(4004);  // the second patroni spawned
        *killed = true;
      }
      return FakeHttpClient::Request(m, h, p, path, b, t);
    }
  } http;
  http.table = &table_;
  http.killed = &killed;
  for (const char* a : {"10.77.0.10", "10.77.0.11", "10.77.0.12"}) http.AnswerEtcd(a);
  NetnsProvider p({runner_, table_, clock_, http, sql_});
  auto cluster = p.Up(topology_, options_);
  ASSERT_FALSE(cluster.ok());
  EXPECT_NE(cluster.status().message().find("patroni@node2 exited during start-up"), std::string::npos) << cluster.status().message();
  EXPECT_LT(clock_.slept(), std::chrono::seconds(1));
  EXPECT_EQ(table_.Count(), 0u);
}

TEST_F(ProviderTest, CtrlCTearsDown) {
  runner_.on_run = [&](const std::string& line) {
    if (line == "ip netns add pgc-abc123-node2") RequestCancel(2);
  };
  auto cluster = Provider().Up(topology_, options_);
  ASSERT_FALSE(cluster.ok());
  EXPECT_EQ(cluster.status().code(), StatusCode::kCancelled);
  EXPECT_NE(std::find(runner_.commands.begin(), runner_.commands.end(), "ip netns del pgc-abc123-node2"), runner_.commands.end());
  EXPECT_FALSE(fs::exists(workdir_ + "/runs/abc123"));
}

TEST_F(ProviderTest, RefusesASecondClusterAndDownRemovesTheFirst) {
  AnswerHealthy();
  ASSERT_TRUE(Provider().Up(topology_, options_).ok());
  options_.run_id = "def456";
  auto second = Provider().Up(topology_, options_);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("already up"), std::string::npos);
  auto report = Provider().Down(workdir_, "abc123");
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(table_.Count(), 0u);
  EXPECT_FALSE(fs::exists(workdir_ + "/runs/abc123"));
  EXPECT_FALSE(ReadCurrentRun(workdir_));
}

TEST(Fixtures, RenderTheShippedTemplates) {
  auto t = LoadTopology(PGHA_SOURCE_DIR "/fixtures/topologies/compact.yaml")->topology;
  t.patroni.synchronous_mode = true;
  t.patroni.postgresql_parameters["work_mem"] = "8MB";
  t.haproxy.check_interval = std::chrono::milliseconds(250);
  auto plan = *MakePlan(t, "abc123", "/w");
  auto tmpl = LoadFixtureTemplates(PGHA_SOURCE_DIR "/fixtures");
  ASSERT_TRUE(tmpl.ok());
  Secrets s{"supersecret", "replsecret", "rewindsecret"};
  auto patroni = RenderPatroniConfig(plan, plan.nodes[1], s, tmpl->patroni);
  ASSERT_TRUE(patroni.ok()) << patroni.status().message();
  EXPECT_NE(patroni->find("name: node2"), std::string::npos);
  EXPECT_NE(patroni->find("listen: 10.77.0.11:8008"), std::string::npos);
  EXPECT_NE(patroni->find("hosts: 10.77.0.10:2379,10.77.0.11:2379,10.77.0.12:2379"), std::string::npos);
  EXPECT_NE(patroni->find("ttl: 5\n"), std::string::npos);
  EXPECT_NE(patroni->find("synchronous_mode: true"), std::string::npos);
  EXPECT_NE(patroni->find("work_mem: \"8MB\""), std::string::npos);
  EXPECT_NE(patroni->find("password: \"supersecret\""), std::string::npos);
  auto yaml = YAML::Load(*patroni);  // it is valid YAML
  EXPECT_EQ(yaml["bootstrap"]["dcs"]["loop_wait"].as<int>(), 1);
  auto haproxy = RenderHaproxyConfig(plan, plan.nodes[3], tmpl->haproxy);
  ASSERT_TRUE(haproxy.ok()) << haproxy.status().message();
  EXPECT_NE(haproxy->find("inter 250ms fastinter 250ms downinter 250ms fall 2 rise 1 on-marked-down shutdown-sessions"),
            std::string::npos) << *haproxy;
  EXPECT_NE(haproxy->find("server node3 10.77.0.12:5432 maxconn 200 check port 8008"), std::string::npos);
  auto etcd = RenderEtcdConfig(plan, plan.nodes[0], tmpl->etcd);
  ASSERT_TRUE(etcd.ok());
  EXPECT_NE(etcd->find("initial-cluster: node1=http://10.77.0.10:2380,node2=http://10.77.0.11:2380,node3=http://10.77.0.12:2380"),
            std::string::npos);
}

}  // namespace
}  // namespace pgha

namespace pgha {
namespace {

TEST_F(ProviderTest, PatroniStartsOnlyOnceEtcdIsHealthy) {
  AnswerHealthy();
  size_t spawned_when_etcd_first_asked = 0;
  struct CountingHttp : FakeHttpClient {
    FakeProcessRunner* runner;
    size_t* seen;
    Result<HttpResponse> Request(const std::string& m, const std::string& h, int p, const std::string& path,
                                 const std::string& b, Duration t) override {
      if (path == "/v3/maintenance/status" && *seen == 0) *seen = runner->spawned.size();
      return FakeHttpClient::Request(m, h, p, path, b, t);
    }
  } http;
  http.runner = &runner_;
  http.seen = &spawned_when_etcd_first_asked;
  http.responses = http_.responses;
  NetnsProvider p({runner_, table_, clock_, http, sql_});
  ASSERT_TRUE(p.Up(topology_, options_).ok());
  EXPECT_EQ(spawned_when_etcd_first_asked, 3u) << "only the three etcd members run while etcd is checked";
}

TEST_F(ProviderTest, EtcdThatNeverGetsHealthyTimesOutWithItsLogs) {
  // Two members agree, the third follows another leader: no start.
  http_.AnswerEtcd("10.77.0.10", "7");
  http_.AnswerEtcd("10.77.0.11", "7");
  http_.AnswerEtcd("10.77.0.12", "9");
  auto cluster = Provider().Up(topology_, options_);
  ASSERT_FALSE(cluster.ok());
  EXPECT_NE(cluster.status().message().find("etcd had no leader after 10s"), std::string::npos) << cluster.status().message();
  EXPECT_EQ(runner_.spawned.size(), 3u);
  EXPECT_EQ(table_.Count(), 0u);
}

}  // namespace
}  // namespace pgha

namespace pgha {
namespace {

TEST_F(ProviderTest, ADataVolumeIsRecordedBeforeItIsMountedAndHoldsTheDataDirectory) {
  topology_.data_volume = 512ull * 1024 * 1024;
  AnswerHealthy();
  int mounts = 0;
  runner_.on_run = [&](const std::string& line) {
    if (line.rfind("mount -t tmpfs", 0) != 0) return;
    ++mounts;
    auto m = Manifest::Open(ManifestPath(workdir_, "abc123"));
    bool recorded = false;
    for (const auto& r : (*m)->Snapshot())
      recorded |= r.kind == ResourceKind::kMount && line.find(r.name) != std::string::npos;
    EXPECT_TRUE(recorded) << line;
    EXPECT_NE(line.find("size=536870912"), std::string::npos) << line;
  };
  auto cluster = Provider().Up(topology_, options_);
  ASSERT_TRUE(cluster.ok()) << cluster.status().message();
  EXPECT_EQ(mounts, 3) << "one per Patroni node, none for the load balancer";
  auto yml = ReadTextFile(workdir_ + "/runs/abc123/node1/patroni.yml");
  EXPECT_NE(yml->find("data_dir: " + workdir_ + "/runs/abc123/node1/volume/pgdata"), std::string::npos);
  auto report = Provider().Down(workdir_, "abc123");
  ASSERT_TRUE(report.ok());
  EXPECT_NE(std::find(runner_.commands.begin(), runner_.commands.end(), "umount -l " + workdir_ + "/runs/abc123/node1/volume"),
            runner_.commands.end());
}

}  // namespace
}  // namespace pgha
