// The planned operations (operations/) on fakes: what each reads from its
// step, what it asks Patroni or PgBouncer, the undo it leaves; and the
// checker's operation windows (check/analyze_operations.cc) on synthetic
// histories.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "check/measurements.h"
#include "check/metrics.h"
#include "check/verdict.h"
#include "core/files.h"
#include "fakes/fake_provider.h"
#include "fakes/fakes.h"
#include "model/cluster_plan.h"
#include "operations/registry.h"
#include "scenario/scenario.h"

namespace pgha {
namespace {

using testing::FakeClock;
using testing::FakeHttpClient;
using testing::FakeProcessRunner;
using testing::FakeProcessTable;
using testing::FakeProvider;
using testing::FakeSqlClient;

const char* kOperationsFixtures = PGHA_SOURCE_DIR "/fixtures";

std::string Steps(const std::string& steps, const std::string& topology = "compact") {
  return "name: t\ntopology: " + topology + "\nsteps:\n  - wait: healthy\n" + steps;
}

class OperationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = ParseScenario(Steps("  - pause: cluster\n"), "t.yaml", kOperationsFixtures);
    ASSERT_TRUE(s.ok()) << s.status().message();
    plan_ = *MakePlan(s->scenario.topology, "any", "/tmp/pgha-ops-test", "fake");
  }
  OperationEnv Env(TimePoint deadline) {
    return OperationEnv{plan_,
                        provider_,
                        http_,
                        sql_,
                        clock_,
                        secrets_,
                        [](const TargetSpec& t) -> Result<std::vector<std::string>> {
                          if (t.kind == TargetKind::kHost) return std::vector<std::string>{t.host};
                          return std::vector<std::string>{"node2", "node3"};
                        },
                        deadline,
                        "node1",
                        nullptr,
                        "op9",
                        ""};
  }
  Step Read(const std::string& step_yaml, const std::string& topology = "compact") {
    auto s = ParseScenario(Steps(step_yaml, topology), "t.yaml", kOperationsFixtures);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? s->scenario.steps[1] : Step{};
  }
  ClusterPlan plan_;
  FakeProvider provider_;
  FakeHttpClient http_;
  FakeSqlClient sql_;
  FakeClock clock_;
  Secrets secrets_;
};

TEST_F(OperationsTest, PauseSetsMaintenanceModeWaitsForEveryMemberAndLeavesAResumeBehind) {
  const Step step = Read("  - pause: cluster\n");
  ASSERT_EQ(step.kind, StepKind::kOperation);
  EXPECT_EQ(step.Describe(), "pause");
  http_.Answer("10.77.0.10", 8008, "/config", 200, "{}", "PATCH");
  http_.Answer("10.77.0.10", 8008, "/cluster", 200,
               R"({"members":[{"name":"node1","state":"running"},{"name":"node2","state":"streaming"},)"
               R"({"name":"node3","state":"stopped"}],"pause":true})");
  for (const std::string host : {"10.77.0.10", "10.77.0.11"})
    http_.Answer(host, 8008, "/patroni", 200, R"({"pause":true})");
  OperationEnv env = Env(clock_.Now() + std::chrono::seconds(10));
  OperationResult r = FindOperationType("pause")->Run(env, step.operation);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.detail, "Patroni paused the cluster: maintenance mode on node1, node2")
      << "a stopped member is not asked";
  EXPECT_EQ(http_.bodies[0], R"({"pause":true})");
  ASSERT_FALSE(r.undo.empty());
  EXPECT_EQ(r.undo_key, "maintenance mode");
  // The undo resumes as patronictl resume does (null removes the key), and waits for the members again.
  for (const std::string host : {"10.77.0.10", "10.77.0.11"}) http_.Answer(host, 8008, "/patroni", 200, R"({})");
  http_.bodies.clear();
  EXPECT_TRUE(r.undo.Run(env).ok());
  EXPECT_EQ(http_.bodies[0], R"({"pause":null})");
  OperationResult resumed = FindOperationType("resume")->Run(env, Read("  - resume: cluster\n").operation);
  EXPECT_TRUE(resumed.status.ok()) << resumed.status.message();
  EXPECT_EQ(resumed.completes, std::vector<std::string>{"maintenance mode"});
}

TEST_F(OperationsTest, AMemberThatNeverReportsThePauseEndsTheStepAtItsDeadlineNamingIt) {
  http_.Answer("10.77.0.10", 8008, "/config", 200, "{}", "PATCH");
  http_.Answer("10.77.0.10", 8008, "/cluster", 200, R"({"members":[{"name":"node1","state":"running"}]})");
  http_.Answer("10.77.0.10", 8008, "/patroni", 200, R"({"pause":false})");
  const TimePoint start = clock_.Now();
  OperationEnv env = Env(start + std::chrono::seconds(5));
  OperationResult r = FindOperationType("pause")->Run(env, Read("  - pause: cluster\n").operation);
  EXPECT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("timeout passed while waiting for node1 to report maintenance mode"),
            std::string::npos)
      << r.status.message();
  EXPECT_LE(clock_.Now() - start, std::chrono::seconds(6));
}

TEST_F(OperationsTest, EditConfigSendsPatronisUnitsAndRestoresTheValuesItFound) {
  const Step step = Read("  - edit_config: {ttl: 10s, postgresql: {parameters: {max_connections: 120}}}\n");
  EXPECT_EQ(step.Describe(), R"(edit_config {"postgresql":{"parameters":{"max_connections":120}},"ttl":10})");
  http_.Answer("10.77.0.10", 8008, "/config", 200, R"({"ttl":5,"postgresql":{"parameters":{"work_mem":"4MB"}}})");
  http_.Answer("10.77.0.10", 8008, "/config", 200, "{}", "PATCH");
  http_.Answer("10.77.0.10", 8008, "/cluster", 200,
               R"({"members":[{"name":"node1","pending_restart":true},{"name":"node2"}]})");
  OperationEnv env = Env(clock_.Now() + std::chrono::seconds(30));
  OperationResult r = FindOperationType("edit_config")->Run(env, step.operation);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_NE(r.detail.find("pending restart on node1"), std::string::npos) << r.detail;
  http_.bodies.clear();
  ASSERT_TRUE(r.undo.Run(env).ok());
  EXPECT_EQ(nlohmann::json::parse(http_.bodies[0]),
            nlohmann::json::parse(R"({"ttl":5,"postgresql":{"parameters":{"max_connections":null}}})"))
      << "what was absent is removed again";
}

TEST_F(OperationsTest, StepsThatCannotBeRunAreRefusedAtTheirLine) {
  struct Case {
    std::string step, topology, error;
  };
  const std::vector<Case> cases = {
      {"  - pause: node1\n", "compact", "write `pause: cluster`"},
      {"  - edit_config: {ttl: 1500ms}\n", "compact", "ttl is a whole number of seconds"},
      {"  - edit_config: {ttll: 10s}\n", "compact", "\"ttll\" is not one of Patroni's dynamic settings"},
      {"  - pgbouncer: pause\n", "compact", "a pgbouncer step needs PgBouncer, and topology compact has none"},
      {"  - pgbouncer: flush\n", "seed-002-dedicated-etcd", "pgbouncer takes pause, resume or reconnect"},
      {"  - tags: {target: node2}\n", "compact", "tags sets none of nofailover"},
      {"  - tags: {target: node2, nofailover: maybe}\n", "compact", "nofailover"},
      {"  - pause: cluster\n    resume: cluster\n", "compact", "a step has one action, this one has 2"},
      {"  - restart: {target: all, pending: true}\n", "compact", "pending"},
  };
  for (const auto& c : cases) {
    auto s = ParseScenario(Steps(c.step, c.topology), "t.yaml", kOperationsFixtures);
    ASSERT_FALSE(s.ok()) << c.step;
    EXPECT_NE(s.status().message().find("t.yaml:5:"), std::string::npos) << s.status().message();
    EXPECT_NE(s.status().message().find(c.error), std::string::npos) << c.step << ": " << s.status().message();
  }
  const Step restart = Read("  - restart: {target: all, pending_restart: true}\n");
  EXPECT_EQ(restart.Describe(), "restart all where a restart is pending");
  EXPECT_EQ(Read("  - pgbouncer: pause\n", "seed-002-dedicated-etcd").Describe(), "pgbouncer pause");
}

TEST_F(OperationsTest, TagsAreWrittenIntoTheMembersPatroniYmlReloadedAndPutBack) {
  const std::string path = plan_.Find("node2")->dir + "/patroni.yml";
  const std::string original = "scope: x\ntags:\n  nofailover: false\n  noloadbalance: false\n";
  provider_.files[{"node2", path}] = original;
  http_.Answer("10.77.0.11", 8008, "/reload", 202, "reload scheduled", "POST");
  http_.Answer("10.77.0.11", 8008, "/patroni", 200, R"({"tags":{"nofailover":true,"noloadbalance":true}})");
  http_.Answer("10.77.0.11", 8008, "/cluster", 200,
               R"({"members":[{"name":"node2","tags":{"nofailover":true,"noloadbalance":true}}]})");
  const Step step = Read("  - tags: {target: node2, nofailover: true, noloadbalance: true}\n");
  OperationEnv env = Env(clock_.Now() + std::chrono::seconds(10));
  OperationResult r = FindOperationType("tags")->Run(env, step.operation);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  const std::string written = provider_.files[std::pair<std::string, std::string>("node2", path)];
  EXPECT_NE(written.find("nofailover: true"), std::string::npos) << written;
  EXPECT_NE(written.find("scope: x"), std::string::npos) << written;
  ASSERT_TRUE(r.undo.Run(env).ok());
  const std::string restored = provider_.files[{"node2", path}];
  EXPECT_EQ(restored, original);
}

TEST_F(OperationsTest, ReloadPostsToEveryMemberNamedAndPgbouncerSpeaksToEachAdminConsole) {
  for (const std::string host : {"10.77.0.11", "10.77.0.12"})
    http_.Answer(host, 8008, "/reload", 202, "reload scheduled", "POST");
  OperationEnv env = Env(clock_.Now() + std::chrono::seconds(10));
  const Step reload = Read("  - reload: replicas\n");
  OperationResult r = FindOperationType("reload")->Run(env, reload.operation);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(http_.requests, (std::vector<std::string>{"POST 10.77.0.11:8008/reload", "POST 10.77.0.12:8008/reload"}));
  // PgBouncer: seed 002 runs one beside each PostgreSQL (port 6432).
  auto s = ParseScenario(Steps("  - pgbouncer: pause\n", "seed-002-dedicated-etcd"), "t.yaml", kOperationsFixtures);
  ASSERT_TRUE(s.ok()) << s.status().message();
  const ClusterPlan plan = *MakePlan(s->scenario.topology, "any", "/tmp/pgha-ops-test", "fake");
  OperationEnv bouncers{plan,        provider_,    http_, sql_,    clock_, secrets_,
                        env.resolve, env.deadline, "pg1", nullptr, "op9",  ""};
  for (const auto& h : plan.HostsRunning("pgbouncer")) {
    const std::string admin = h->address + ":" + std::to_string(h->Port("pgbouncer", "pgbouncer"));
    for (const char* command : {"PAUSE", "RESUME"}) sql_.On(admin, command, {});
  }
  OperationResult paused = FindOperationType("pgbouncer")->Run(bouncers, s->scenario.steps[1].operation);
  ASSERT_TRUE(paused.status.ok()) << paused.status.message();
  EXPECT_EQ(paused.detail, "PAUSE on the PgBouncers of pg1, pg2, pg3");
  EXPECT_EQ(paused.undo_key, "pgbouncer pause");
  ASSERT_EQ(sql_.statements.size(), 3u);
  EXPECT_NE(sql_.statements[0].find(":6432 PAUSE"), std::string::npos) << sql_.statements[0];
  sql_.statements.clear();
  ASSERT_TRUE(paused.undo.Run(bouncers).ok());
  EXPECT_NE(sql_.statements.at(2).find("RESUME"), std::string::npos);
}

class InventoryProvider : public FakeProvider, public AnsibleHosts {
 public:
  std::string InventoryFile() const override { return "/srv/inventory.yml"; }
};

TEST_F(OperationsTest, APlaybookRunsAgainstTheInventoryKeepsItsOutputAndIsSkippedWithoutOne) {
  const std::string dir = "/tmp/pgha-ops-test-playbook";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/upgrade.yml") << "- hosts: all\n  tasks: []\n";
  const Step step = Read("  - ansible: {playbook: " + dir + "/upgrade.yml, limit: node2}\n");
  EXPECT_EQ(step.Describe(), "ansible upgrade.yml --limit node2");
  // Not a cluster an inventory describes: skipped, saying what to do.
  OperationEnv env = Env(clock_.Now() + std::chrono::seconds(60));
  EXPECT_NE(FindOperationType("ansible")->WhyNot(env, step.operation).find("--provider ssh --inventory FILE"),
            std::string::npos);
  InventoryProvider ssh;
  FakeProcessTable table;
  FakeProcessRunner local(&table);
  CommandResult played;
  played.exit_code = 0;
  played.out = "PLAY [all]\n\nPLAY RECAP ****\nnode2 : ok=3 changed=1 unreachable=0 failed=0\n";
  local.scripted.push_back({"ansible-playbook", played});
  OperationEnv on_ssh{plan_,       ssh,          http_,   sql_,   clock_, secrets_,
                      env.resolve, env.deadline, "node1", &local, "op9",  dir + "/logs"};
  OperationResult r = FindOperationType("ansible")->Run(on_ssh, step.operation);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(local.commands.at(0), "ansible-playbook -i /srv/inventory.yml " + dir + "/upgrade.yml --limit node2");
  EXPECT_NE(r.detail.find("node2 : ok=3 changed=1"), std::string::npos) << r.detail;
  auto kept = ReadTextFile(dir + "/logs/ansible-op9.log");
  ASSERT_TRUE(kept.ok());
  EXPECT_NE(kept->find("PLAY RECAP"), std::string::npos);
  // A failed play is the step's error, with its recap.
  local.scripted.clear();
  played.exit_code = 2;
  played.out = "PLAY RECAP ****\nnode2 : ok=1 changed=0 unreachable=0 failed=1\n";
  local.scripted.push_back({"ansible-playbook", played});
  r = FindOperationType("ansible")->Run(on_ssh, step.operation);
  EXPECT_NE(r.status.message().find("failed (exit 2): node2 : ok=1 changed=0 unreachable=0 failed=1"),
            std::string::npos)
      << r.status.message();
  auto missing = ParseScenario(Steps("  - ansible: {playbook: nowhere.yml}\n"), "/tmp/t.yaml", kOperationsFixtures);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("no playbook at /tmp/nowhere.yml"), std::string::npos)
      << missing.status().message();
  std::filesystem::remove_all(dir);
}

// Acknowledged writes every 25 ms from 0 to 6 s but for a gap, with refusals inside it.
History OperationHistory() {
  History h;
  auto write = [&](int64_t at_ms, Outcome o, const char* error = "") {
    Op w;
    w.key = LedgerKey(0, static_cast<int64_t>(h.ops.size()));
    w.invoke_ns = at_ms * 1000000 - 5000000;
    w.complete_ns = at_ms * 1000000;
    w.outcome = o;
    w.error = error;
    h.ops.push_back(w);
  };
  for (int64_t t = 25; t <= 6000; t += 25)
    if (t < 2100 || t > 2900) write(t, Outcome::kOk);
  write(2300, Outcome::kFail, "ERROR: cannot execute INSERT in a read-only transaction");
  write(2600, Outcome::kFail, "ERROR: cannot execute INSERT in a read-only transaction");
  h.journal.push_back({2000000000, JournalAction::kInject, "op10", "switchover", "node2", "{}"});
  h.journal.push_back({4000000000, JournalAction::kOperation, "op14", "pause", "node2", "pause"});
  h.journal.push_back({5000000000, JournalAction::kConverged, "", "health", "", ""});
  h.end_ns = 6000000000;
  return h;
}

TEST(OperationWindows, EachOperationGetsTheGapRefusalsAndLatencyOfItsOwnWindow) {
  const Measurements m = Analyze(OperationHistory());
  ASSERT_EQ(m.operations.size(), 2u);
  const OperationWindow& sw = m.operations[0];
  EXPECT_EQ(sw.kind, "switchover");
  EXPECT_DOUBLE_EQ(sw.start_s, 2.0);
  EXPECT_DOUBLE_EQ(sw.end_s, 4.0) << "to the next step that acts";
  EXPECT_NEAR(sw.write_gap_s, 0.850, 1e-9) << "the last acknowledgement at 2.075 s, the next at 2.925 s";
  EXPECT_EQ(sw.read_only_refusals, 2);
  EXPECT_NEAR(sw.stale_window_s, 0.305, 1e-9) << "from the first refusal sent to the last one's answer";
  EXPECT_EQ(sw.writes_failed, 2);
  const OperationWindow& pause = m.operations[1];
  EXPECT_NEAR(pause.write_gap_s, 0.025, 1e-9);
  EXPECT_EQ(pause.read_only_refusals, 0);
  ASSERT_TRUE(m.steady_latency_p99_ms.has_value());
  EXPECT_NEAR(*m.steady_latency_p99_ms, 5.0, 1e-6);
  auto added = ParseExpectation("operation_added_latency", "< 1s");
  History cold = OperationHistory();
  cold.ops.erase(std::remove_if(cold.ops.begin(), cold.ops.end(), [](const Op& o) { return o.invoke_ns < 2000000000; }),
                 cold.ops.end());
  EXPECT_EQ(Judge({*added}, Analyze(cold), RunFacts{})[0].status, VerdictStatus::kSkipped)
      << "no write before the first operation: no steady state to add to";
  auto gap = ParseExpectation("operation_write_gap", "< 0.5s");
  auto stale = ParseExpectation("pooler_stale_window", "< 1s");
  auto v = Judge({*gap, *stale}, m, RunFacts{});
  EXPECT_EQ(v[0].status, VerdictStatus::kFail);
  EXPECT_EQ(v[0].measured_text, "0.850s (switchover op10)");
  EXPECT_EQ(v[1].status, VerdictStatus::kPass);
}

TEST(OperationWindows, ANewLeaderWhilePausedIsCountedAndNoPauseIsNoVerdict) {
  History h = OperationHistory();
  auto sample = [&](int64_t ms, const std::string& leader, bool paused) {
    ObserverSample s;
    s.t_ns = ms * 1000000;
    s.reachable = true;
    s.leader = leader;
    s.paused = paused;
    h.observer.push_back(s);
  };
  auto paused_failovers = ParseExpectation("paused_failovers", "0");
  EXPECT_EQ(Judge({*paused_failovers}, Analyze(h), RunFacts{})[0].status, VerdictStatus::kSkipped);
  sample(100, "node1", false);
  sample(200, "node1", true);
  sample(300, "", true);  // the leader key expired: nobody took it
  sample(400, "node1", true);
  EXPECT_EQ(Analyze(h).paused_failovers, 0) << "the same leader back is no failover";
  sample(500, "node2", true);
  sample(600, "node3", false);  // after resume: Patroni's to do
  const Measurements m = Analyze(h);
  EXPECT_EQ(m.paused_failovers, 1);
  EXPECT_EQ(Judge({*paused_failovers}, m, RunFacts{})[0].status, VerdictStatus::kFail);
}

TEST(OperationWindows, ReadsFromTheLeaderOrAReplicaTaggedNoloadbalanceBreakTheReadOnlyPromise) {
  History h = OperationHistory();
  ObserverSample s;
  s.reachable = true;
  s.leader = "node1";
  s.members = {{"node1", "leader", "running", "10.77.0.10"}, {"node2", "replica", "streaming", "10.77.0.11"}};
  h.observer.push_back(s);
  auto read = [&](int64_t at_ms, const std::string& server) {
    Op r;
    r.type = OpType::kRead;
    r.invoke_ns = at_ms * 1000000;
    r.complete_ns = r.invoke_ns + 2000000;
    r.server = server;
    h.ops.push_back(r);
  };
  h.journal.push_back(
      {4500000000, JournalAction::kOperation, "op16", "tags", "node2", "tags noloadbalance=true on node2"});
  std::sort(h.journal.begin(), h.journal.end(), [](const auto& a, const auto& b) { return a.t_ns < b.t_ns; });
  read(2500, "10.77.0.11");  // a replica: as promised
  read(2600, "10.77.0.10");  // the leader
  read(4600, "10.77.0.11");  // node2 after it was taken out
  read(4700, "10.77.0.11");
  const Measurements m = Analyze(h);
  ASSERT_EQ(m.operations.size(), 3u);
  EXPECT_EQ(m.operations[0].reads_off_promise, 1);
  EXPECT_EQ(m.operations[1].reads_off_promise, 0) << "the pause window, 4.0 to 4.5 s";
  EXPECT_EQ(m.operations[2].kind, "tags");
  EXPECT_EQ(m.operations[2].reads_off_promise, 2);
  EXPECT_NEAR(m.operations[2].off_promise_window_s, 0.102, 1e-9);
}

}  // namespace
}  // namespace pgha
