#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <thread>

#include "cluster/workdir.h"
#include "core/build_info.h"
#include "core/cancel.h"
#include "core/files.h"
#include "fakes/fake_provider.h"
#include "fakes/healthy_cluster.h"
#include "report/junit.h"
#include "result/result_json.h"
#include "run/runner.h"

namespace pgha {
namespace {
namespace fs = std::filesystem;
using namespace testing;

// Whole runs on a provider that is not the netns one: hosts in memory
// (FakeProvider), a cluster that always answers healthy with node1 leading,
// a SQL fake that keeps the ledger, and a fake clock (so holds and
// deadlines take no real time).
class RunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ResetCancelForTest();
    workdir_ = (fs::temp_directory_path() / ("pgha-runner-" + RandomHex(4))).string();
    options_.workdir = workdir_;
    options_.fixtures_dir = PGHA_SOURCE_DIR "/fixtures";
    options_.output_dir = workdir_ + "/out";
    options_.seed = 5;
    options_.convergence_timeout = std::chrono::seconds(10);
    clock_.DriveFrom(std::this_thread::get_id());  // the runner's thread moves time; clients follow it
  }
  void TearDown() override {
    ResetCancelForTest();
    fs::remove_all(workdir_);
  }
  Scenario Load(const std::string& yaml) {
    auto s = ParseScenario(yaml, "t.yaml", PGHA_SOURCE_DIR "/fixtures");
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s->scenario;
  }
  void AnswerHealthyCluster(const Scenario& s) {
    auto plan = *MakePlan(s.topology, "any", workdir_, "fake");
    AnswerHealthy(plan, "node1", &http_, &sql_);
    sql_.ledger = true;
    sql_.On("10.77.0.13:5000", "CREATE TABLE", {});
    sql_.On("10.77.0.13:5000", "pg_walfile_name", Rows({"addr", "tl"}, {{"10.77.0.10", "1"}}));
    sql_.On("10.77.0.13:5001", "count(*)", Rows({"addr", "n"}, {{"10.77.0.11", "1"}}));
    sql_.On("10.77.0.10:5432", "INSERT INTO pgha_probe", {});
  }
  ScenarioResult Run(const Scenario& s) { return Runner({provider_, clock_, http_, sql_, nullptr}).Run(s, options_); }
  std::string workdir_;
  RunOptions options_;
  FakeProvider provider_;
  FakeClock clock_;
  FakeHttpClient http_;
  FakeSqlClient sql_;
};

const char* kKillPrimary = R"(name: kill
workload: {writers: 2, rate: 50/s}
steps:
  - wait: healthy
  - hold: 2s
  - fault: kill
    target: primary
    processes: [patroni, postgres]
  - hold: 1s
  - heal: all
expect:
  lost_writes: 0
  split_brain: 0s
)";

TEST_F(RunnerTest, AWholeScenarioRunsOnAFakeProviderAndEverythingIsTornDown) {
  Scenario s = Load(kKillPrimary);
  AnswerHealthyCluster(s);
  ScenarioResult r = Run(s);
  EXPECT_EQ(r.facts.infrastructure_error, "");
  EXPECT_EQ(r.ExitCode(), 0);
  ASSERT_EQ(r.steps.size(), 5u);
  for (const auto& st : r.steps) EXPECT_EQ(st.outcome, StepOutcome::kOk) << st.description << ": " << st.detail;
  // The journal says what was done, to whom, before the heal.
  ASSERT_GE(r.history.journal.size(), 2u);
  EXPECT_EQ(r.history.journal[0].action, JournalAction::kInject);
  EXPECT_EQ(r.history.journal[0].target, "node1");
  EXPECT_EQ(r.history.journal[1].action, JournalAction::kHeal);
  // Patroni on node1 (the 4th daemon started, pid 4003) got SIGKILL through the provider and was started again on heal.
  EXPECT_EQ(provider_.started[3].label, "patroni@node1");
  bool killed = false;
  for (auto [pid, sig] : provider_.signals) killed |= pid == 4003 && sig == SIGKILL;
  EXPECT_TRUE(killed);
  EXPECT_EQ(provider_.Started("patroni@node1"), 2);
  EXPECT_NE(r.steps[2].detail.find("SIGKILL patroni on node1 (pids 4003)"), std::string::npos) << r.steps[2].detail;
  // Versions come from the provider; configs went to the hosts through it.
  EXPECT_EQ(r.versions["patroni"], "fake patroni");
  EXPECT_EQ(r.versions["pgha-chaos"], PghaVersionLine()) << "the run records what judged it";
  EXPECT_NE(provider_.files.count({"node2", workdir_ + "/runs/" + r.run_id + "/node2/patroni.yml"}), 0u);
  // Clients ran, every acknowledged key was read back, nothing is left. How
  // many writes the clients got in is the scheduler's (CI under
  // AddressSanitizer beside a cluster: 20 of 150), not the runner's.
  EXPECT_GT(r.measurements.writes_ok, 0);
  EXPECT_TRUE(r.history.final_read_ok);
  EXPECT_TRUE(r.measurements.lost_keys.empty());
  EXPECT_EQ(provider_.ProcessCount(), 0u);
  EXPECT_EQ(provider_.teardowns, 1);
  EXPECT_TRUE(ListManifestRuns(workdir_).empty());
  EXPECT_FALSE(ReadCurrentRun(workdir_));
  ASSERT_TRUE(WriteResultFiles(r).ok());
  auto j = nlohmann::json::parse(*ReadTextFile(options_.output_dir + "/result.json"));
  EXPECT_EQ(j["format"], 1);
  EXPECT_EQ(j["seed"], 5);
  EXPECT_EQ(j["verdicts"][0]["status"], "pass");
  EXPECT_EQ(j["settings"]["patroni"]["use_pg_rewind"], true) << "every Patroni setting is recorded";
  EXPECT_TRUE(fs::exists(options_.output_dir + "/history.jsonl"));
}

TEST_F(RunnerTest, ReportRecomputesByteIdenticalJUnitFromTheSavedFiles) {
  Scenario s = Load(kKillPrimary);
  AnswerHealthyCluster(s);
  sql_.lose = {0};
  ScenarioResult r = Run(s);
  ASSERT_TRUE(WriteResultFiles(r).ok());
  const std::string original = RenderJUnit({r});
  auto saved = ReadResultFolder(options_.output_dir);
  ASSERT_TRUE(saved.ok()) << saved.status().message();
  EXPECT_EQ(saved->history.ops.size(), r.history.ops.size());
  Evaluate(&*saved);
  EXPECT_EQ(MeasurementsToJson(saved->measurements), MeasurementsToJson(r.measurements));
  EXPECT_EQ(RenderJUnit({*saved}), original);
  EXPECT_NE(original.find("failures=\"1\""), std::string::npos) << "the planted loss is in both";
}

TEST_F(RunnerTest, APlantedLossFailsTheRunWithExit1) {
  Scenario s = Load(kKillPrimary);
  AnswerHealthyCluster(s);
  sql_.lose = {0, 1};  // the first write of each writer
  ScenarioResult r = Run(s);
  EXPECT_EQ(r.ExitCode(), 1);
  EXPECT_EQ(r.measurements.lost_keys, (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(r.verdicts[0].status, VerdictStatus::kFail);
}

TEST_F(RunnerTest, AClusterThatNeverComesUpIsAnInfrastructureError) {
  Scenario s = Load(kKillPrimary);  // no fake answers at all
  s.topology.up_timeout = std::chrono::seconds(5);
  ScenarioResult r = Run(s);
  EXPECT_EQ(r.ExitCode(), 3);
  EXPECT_NE(r.facts.infrastructure_error.find("the cluster did not come up"), std::string::npos)
      << r.facts.infrastructure_error;
  for (const auto& v : r.verdicts) EXPECT_EQ(v.status, VerdictStatus::kError);
  EXPECT_EQ(provider_.ProcessCount(), 0u);
  EXPECT_TRUE(ListManifestRuns(workdir_).empty());
}

TEST_F(RunnerTest, AFaultThisMachineCannotInjectIsSkippedNeverPassed) {
  Scenario s = Load(R"(name: lat
steps:
  - wait: healthy
  - fault: latency
    target: replica
    delay: 100ms
  - heal: all
expect:
  failover_time: "< 10s"
  lost_writes: 0
)");
  AnswerHealthyCluster(s);
  provider_.no_delay =
      "tc netem is not available on this machine (Error: Specified qdisc kind is unknown.): the kernel lacks sch_netem";
  ScenarioResult r = Run(s);
  ASSERT_EQ(r.facts.skipped_faults.size(), 1u);
  EXPECT_NE(r.facts.skipped_faults[0].find("sch_netem"), std::string::npos);
  EXPECT_EQ(r.steps[1].outcome, StepOutcome::kSkipped);
  EXPECT_TRUE(provider_.delayed.empty());
  EXPECT_EQ(r.verdicts[0].status, VerdictStatus::kSkipped);
  EXPECT_NE(r.verdicts[0].reason.find("every fault was skipped"), std::string::npos) << r.verdicts[0].reason;
  // lost_writes was measured (0), but a run that injected nothing proves
  // nothing about the fault: skipped, not passed.
  EXPECT_EQ(r.verdicts[1].status, VerdictStatus::kSkipped);
  EXPECT_EQ(r.verdicts[1].measured_text, "0");
  EXPECT_EQ(r.ExitCode(), 0);
}

// A fault that should have happened and did not (here: the firewall
// refused the rule) judges nothing: every verdict an error, exit 3. Before,
// the run was judged as if the fault had happened.
TEST_F(RunnerTest, AFaultThatFailsToInjectMakesTheRunAnErrorNotAVerdict) {
  Scenario s = Load(R"(name: iso
steps:
  - wait: healthy
  - fault: isolate
    target: primary
  - hold: 1s
  - heal: all
expect:
  leader_changes: 0
)");
  AnswerHealthyCluster(s);
  provider_.refuse_block = Failed("iptables: Resource temporarily unavailable");
  ScenarioResult r = Run(s);
  EXPECT_EQ(r.steps[1].outcome, StepOutcome::kError);
  EXPECT_NE(r.facts.infrastructure_error.find("could not be injected: iptables: Resource temporarily unavailable"),
            std::string::npos)
      << r.facts.infrastructure_error;
  EXPECT_EQ(r.verdicts[0].status, VerdictStatus::kError) << "leader_changes 0 held, but proves nothing";
  EXPECT_EQ(r.ExitCode(), 3);
}

TEST_F(RunnerTest, CtrlCDuringAFaultHealsTearsDownAndSaysInterrupted) {
  Scenario s = Load(R"(name: iso
steps:
  - wait: healthy
  - fault: isolate
    target: replica
  - hold: 30s
expect:
  lost_writes: 0
)");
  AnswerHealthyCluster(s);
  provider_.on_block = [] { RequestCancel(SIGINT); };
  ScenarioResult r = Run(s);
  EXPECT_TRUE(r.interrupted);
  EXPECT_EQ(r.ExitCode(), 130);
  EXPECT_EQ(provider_.unblocked, 2) << "both isolation blocks were removed by the heal";
  EXPECT_TRUE(provider_.rules.empty());
  EXPECT_EQ(provider_.ProcessCount(), 0u);
  EXPECT_TRUE(ListManifestRuns(workdir_).empty());
}

}  // namespace
}  // namespace pgha
