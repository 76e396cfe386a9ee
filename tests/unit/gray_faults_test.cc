// Slow-node and clock faults on the fake provider: cpu_throttle and
// memory_pressure move the named processes under a limit and heal journals
// what the limit did, then lifts it; the clock faults rewrite the clock
// file of each named process, journal the offset, measure Patroni's clock
// and set it back; what cannot run here is skipped with the reason; the
// false-failover count, the steps that expect a failover, and the server
// stamps put back on the run's clock.
#include <gtest/gtest.h>
#include <time.h>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <thread>

#include "check/clock_offsets.h"
#include "check/measurements.h"
#include "check/metrics.h"
#include "core/files.h"
#include "core/text.h"
#include "fakes/fault_kind_fixture.h"
#include "faults/clock_faults.h"
#include "faults/registry.h"
#include "scenario/scenario.h"
#include "services/faked_clock.h"

namespace pgha {
namespace {
using namespace testing;

class GrayFaultsTest : public FaultKindFixture {
 protected:
  void SetUp() override {
    FaultKindFixture::SetUp();
    auto p = *manifest_->Record(Resource::Of(kProcessResource, "patroni@node1", "fake-abc123-node1"));
    manifest_->MarkCreated(p, 100, 100);
    provider_.AddProcess("node1", 100);
    provider_.AddProcess("node1", 300);
  }
  bool Noted(const std::string& part) const {
    for (const auto& n : notes_)
      if (n.find(part) != std::string::npos) return true;
    return false;
  }
  std::string ClockFile(const std::string& process = "patroni") {
    auto text = ReadTextFile(ClockFilePath(plan_.hosts[0], process));
    return text.ok() ? Trim(*text) : "(none)";
  }
  // Clock faults need the preload: this machine's programs, the clock faked from the start.
  void PreloadClocks(const std::vector<std::string>& processes) {
    provider_.local_programs = true;
    plan_.faked_clocks = processes;
    std::filesystem::create_directories(plan_.hosts[0].dir);
    ASSERT_TRUE(WriteFileAtomic(ClockFilePath(plan_.hosts[0], "patroni"), "+0\n").ok());
  }
  // Patroni's REST API on node1 answering with a Date `offset_s` off the fake clock.
  void PatroniDateOff(double offset_s) {
    const auto wall = std::chrono::system_clock::to_time_t(clock_.WallNow()) + static_cast<time_t>(offset_s);
    char date[64];
    struct tm tm {};
    gmtime_r(&wall, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    const HostPlan& h = plan_.hosts[0];
    http_.responses["GET " + h.address + ":" + std::to_string(h.Port("patroni", "api")) + "/patroni"] =
        HttpResponse{200, "{}", date};
  }
};

TEST_F(GrayFaultsTest, CpuThrottleLimitsTheNamedProcessesAndHealSaysHowOftenThenLiftsIt) {
  auto inj = Injector();
  const ResolvedFault f = Fault("fault: cpu_throttle\nprocesses: [patroni]\ncpu: 5%");
  EXPECT_EQ(inj.Check(f), "");
  auto done = inj.Inject(f);
  ASSERT_TRUE(done.ok()) << done.status().message();
  ASSERT_EQ(provider_.limits.size(), 1u);
  const auto& limited = provider_.limits.begin()->second;
  EXPECT_EQ(limited.host, "node1");
  EXPECT_EQ(limited.pids, std::vector<int>{100}) << "Patroni alone, not the other processes";
  EXPECT_DOUBLE_EQ(limited.limit.cpu_cores, 0.05);
  EXPECT_EQ(limited.limit.memory_bytes, 0u);
  provider_.limit_usage.periods = 300;
  provider_.limit_usage.throttled_periods = 287;
  provider_.limit_usage.throttled_s = 27.1;
  ASSERT_TRUE(inj.Heal("f").ok());
  EXPECT_TRUE(provider_.limits.empty()) << "heal lifts the quota";
  EXPECT_TRUE(Noted("note node1 patroni: used 0.00 s of CPU; throttled in 287 of 300 periods")) << Join(notes_, "\n");
  int limit_groups = 0;
  for (const auto& r : manifest_->Snapshot())
    if (r.kind == "limit-cgroup") {
      ++limit_groups;
      EXPECT_EQ(r.state, ResourceState::kRemoved) << "the manifest says the group is gone";
    }
  EXPECT_EQ(limit_groups, 1) << "recorded before it existed";
}

TEST_F(GrayFaultsTest, MemoryPressureOnTheWholeHostSaysWhetherTheKernelKilled) {
  auto inj = Injector();
  ASSERT_TRUE(inj.Inject(Fault("fault: memory_pressure\nmemory: 64MiB")).ok());
  ASSERT_EQ(provider_.limits.size(), 1u);
  EXPECT_EQ(provider_.limits.begin()->second.pids, (std::vector<int>{100, 300})) << "every process of the host";
  EXPECT_EQ(provider_.limits.begin()->second.limit.memory_bytes, 64u << 20);
  provider_.limit_usage.memory_peak_bytes = 64u << 20;
  provider_.limit_usage.memory_limit_hits = 1234;
  provider_.limit_usage.oom_kills = 2;
  ASSERT_TRUE(inj.HealAll().ok());
  EXPECT_TRUE(Noted("met the limit 1234 times (reclaim); OOM-killed 2 processes")) << Join(notes_, "\n");
}

TEST_F(GrayFaultsTest, AnIoThrottleLimitsTheDataVolumeAndItsScenarioGetsLoopVolumes) {
  auto inj = Injector();
  ASSERT_TRUE(inj.Inject(Fault("fault: io_throttle\nprocesses: [patroni]\nrate: 64KiB\niops: 20")).ok());
  ASSERT_EQ(provider_.limits.size(), 1u);
  const ResourceLimit& l = provider_.limits.begin()->second.limit;
  EXPECT_EQ(l.io_bytes_per_s, 64u << 10);
  EXPECT_EQ(l.io_ops_per_s, 20u);
  EXPECT_EQ(l.io_path, DataVolumeDir(plan_.hosts[0])) << "the host's own data volume";
  provider_.limit_usage.io_bytes = 3 << 20;
  ASSERT_TRUE(inj.HealAll().ok());
  EXPECT_TRUE(Noted("read and wrote 3.0 MiB through the throttle")) << Join(notes_, "\n");

  auto s = ParseScenario(
      "name: t\nsteps:\n  - fault: io_throttle\n    target: etcd_leader\n    processes: [etcd]\n    rate: 64KiB\n"
      "expect:\n  lost_writes: 0\n",
      "t.yaml", PGHA_SOURCE_DIR "/fixtures");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->scenario.topology.data_device, "loop") << "io_throttle asks for a block device";
  EXPECT_EQ(s->scenario.topology.data_volume, 512ull << 20);
  auto plan = MakePlan(s->scenario.topology, "abc123", dir_.string(), "fake");
  ASSERT_TRUE(plan.ok());
  for (const auto& h : plan->hosts)
    EXPECT_EQ(h.data_volume > 0, h.Runs("etcd") || h.Runs("patroni")) << h.name << ": etcd's hosts get one too";
  auto bad = ParseScenario("name: t\nsteps:\n  - fault: io_throttle\n    target: node1\nexpect:\n  lost_writes: 0\n",
                           "t.yaml", PGHA_SOURCE_DIR "/fixtures");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("needs rate"), std::string::npos) << bad.status().message();
}

TEST_F(GrayFaultsTest, ALimitTheProviderCannotSetIsSkippedWithItsReason) {
  provider_.no_limit = "no cgroup v1 cpu hierarchy";
  EXPECT_EQ(Injector().Check(Fault("fault: cpu_throttle\ncpu: 10%")), "no cgroup v1 cpu hierarchy");
  EXPECT_TRUE(provider_.limits.empty());
}

TEST_F(GrayFaultsTest, LimitAndClockKeysAreCheckedAtTheirLine) {
  const std::string head = "name: t\nsteps:\n  - fault: ";
  for (const auto& [yaml, message] : std::vector<std::pair<std::string, std::string>>{
           {"cpu_throttle\n    target: node1\n    cpu: 0.5%\n", "cpu must be a share of one core"},
           {"cpu_throttle\n    target: node1\n    cpu: fast\n", "cpu must be a share of one core"},
           {"memory_pressure\n    target: node1\n    memory: 1MiB\n", "memory must be at least 4MiB"},
           {"cpu_throttle\n    target: node1\n    processes: [nope]\n    cpu: 5%\n", "unknown process \"nope\""},
           {"clock_jump\n    target: node1\n    processes: [patroni]\n    offset: soon\n", "offset must be a signed"},
           {"clock_jump\n    target: node1\n    processes: [keepalive]\n    offset: -5m\n", "unknown process"},
           {"clock_skew\n    target: node1\n    processes: [postgres]\n    offset: -5m\n", "name [patroni, postgres]"},
           {"clock_strobe\n    target: node1\n    processes: [patroni]\n    offset: 1m\n    period: 500ms\n",
            "period must be at least 2s"}}) {
    auto s = ParseScenario(head + yaml + "expect:\n  lost_writes: 0\n", "t.yaml", PGHA_SOURCE_DIR "/fixtures");
    ASSERT_FALSE(s.ok()) << yaml;
    EXPECT_NE(s.status().message().find(message), std::string::npos) << s.status().message();
    EXPECT_NE(s.status().message().find("t.yaml:"), std::string::npos) << "file and line: " << s.status().message();
  }
}

TEST_F(GrayFaultsTest, AClockJumpRewritesTheClockFileJournalsTheOffsetMeasuresPatroniAndStepsBack) {
  PreloadClocks({"patroni"});
  PatroniDateOff(-300);
  auto inj = Injector();
  const ResolvedFault f = Fault("fault: clock_jump\nprocesses: [patroni]\noffset: -5m");
  EXPECT_EQ(inj.Check(f), "");
  std::vector<FaultEffect> effects;
  auto done = inj.Inject(f, &effects);
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(ClockFile(), "-300.000");
  EXPECT_TRUE(Noted("clock node1 patroni: -300.000")) << Join(notes_, "\n");
  ASSERT_EQ(effects.size(), 1u);
  EXPECT_EQ(effects[0].quantity, "clock_offset_s");
  EXPECT_TRUE(effects[0].within()) << effects[0].p50;
  EXPECT_NEAR(effects[0].p50, -300, 1.5);
  ASSERT_TRUE(inj.Heal("f").ok());
  EXPECT_EQ(ClockFile(), "+0.000") << "heal sets the clock right";
  EXPECT_TRUE(Noted("clock node1 patroni: +0.000"));
}

TEST_F(GrayFaultsTest, AClockThatDidNotMoveIsAMeasurementError) {
  PreloadClocks({"patroni"});
  PatroniDateOff(0);  // the preload did nothing
  std::vector<FaultEffect> effects;
  ASSERT_TRUE(Injector().Inject(Fault("fault: clock_skew\nprocesses: [patroni]\noffset: +90s"), &effects).ok());
  ASSERT_EQ(effects.size(), 1u);
  EXPECT_FALSE(effects[0].within());
  RunFacts facts;
  facts.fault_effects = effects;
  EXPECT_NE(FaultEffectError(facts).find("clock_offset_s"), std::string::npos) << FaultEffectError(facts);
}

TEST_F(GrayFaultsTest, ClocksThatCannotMoveHereAreSkippedWithTheReason) {
  PreloadClocks({"patroni"});
  auto inj = Injector();
  EXPECT_NE(inj.Check(Fault("fault: clock_jump\nprocesses: [etcd]\noffset: -5m")).find("etcd is a Go program"),
            std::string::npos);
  EXPECT_NE(inj.Check(Fault("fault: clock_jump\nprocesses: [haproxy]\noffset: -5m")).find("without haproxy's clock"),
            std::string::npos)
      << "a cluster started without the preload";
  provider_.local_programs = false;
  EXPECT_NE(inj.Check(Fault("fault: clock_jump\nprocesses: [patroni]\noffset: -5m")).find("do not run this machine"),
            std::string::npos);
  EXPECT_EQ(ClockFile(), "+0") << "nothing was touched";
}

TEST_F(GrayFaultsTest, AStrobeFlipsTheClockUntilHealAndJournalsEveryFlip) {
  PreloadClocks({"patroni"});
  PatroniDateOff(60);
  ResolvedFault f = Fault("fault: clock_strobe\nprocesses: [patroni]\noffset: +1m\nperiod: 2s");
  auto params = std::make_shared<ClockParams>(*ParamsOf<ClockParams>(f.spec));
  params->period = std::chrono::milliseconds(20);  // the reader's 2 s floor is for real processes
  f.spec.params = params;
  std::mutex mu;  // the strobe's thread journals each flip, as the run's journal is thread-safe
  std::vector<std::string> remarks;
  FaultEnv env = Env();
  env.remark = [&](const FaultRemark& r) {
    std::lock_guard<std::mutex> l(mu);
    remarks.push_back(r.kind + " " + r.host + " " + r.process + ": " + r.detail);
  };
  auto remarked = [&](const std::string& part) {
    std::lock_guard<std::mutex> l(mu);
    return std::any_of(remarks.begin(), remarks.end(),
                       [&](const std::string& r) { return r.find(part) != std::string::npos; });
  };
  FaultInjector inj(env);
  ASSERT_TRUE(inj.Inject(f).ok());
  EXPECT_TRUE(remarked("clock node1 patroni: +60.000"));
  for (int i = 0; i < 200 && !remarked("clock node1 patroni: +0.000"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(remarked("clock node1 patroni: +0.000")) << "a flip back to the real time is journalled";
  ASSERT_TRUE(inj.Heal("f").ok());
  EXPECT_EQ(ClockFile(), "+0.000") << "the strobe stops, then the clock is set right";
  EXPECT_TRUE(remarked("the clock flipped"));
}

TEST_F(GrayFaultsTest, OnlySlowNodeAndClockFaultsLeaveEveryLeaderChangeAFalseFailover) {
  auto read = [](const std::string& steps) {
    auto s = ParseScenario("name: t\nsteps:\n" + steps + "expect:\n  false_failovers: 0\n", "t.yaml",
                           PGHA_SOURCE_DIR "/fixtures");
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? s->scenario.steps : std::vector<Step>{};
  };
  const auto gray = read(
      "  - fault: cpu_throttle\n    target: primary\n    cpu: 5%\n  - fault: clock_jump\n    target: replica\n"
      "    processes: [patroni, postgres]\n    offset: -5m\n");
  EXPECT_EQ(FailoverExpectedBy(gray), "");
  EXPECT_EQ(MovedClocks(gray), (std::vector<std::string>{"patroni", "postgres"}));
  EXPECT_EQ(FailoverExpectedBy(read("  - hold: 5s\n")), "") << "the no-fault control";
  EXPECT_EQ(FailoverExpectedBy(read("  - fault: kill\n    target: primary\n    processes: [patroni]\n    id: k\n")),
            "kill k");
  EXPECT_EQ(FailoverExpectedBy(read("  - switchover: any\n")).rfind("switchover", 0), 0u);
}

TEST(FalseFailovers, APlantedLossOfLeadershipIsCountedAndOnlyWhereNoFailoverIsExpected) {
  History h;
  h.events = {{1'000'000'000, "etcd watch", "", kEventLeaderKeySet, "node1"},
              {5'000'000'000, "etcd watch", "", kEventLeaderKeyGone, ""},
              {5'300'000'000, "etcd watch", "", kEventLeaderKeySet, "node1"},   // the same member took it back
              {9'000'000'000, "etcd watch", "", kEventLeaderKeySet, "node2"}};  // taken over without a gap
  const Measurements m = Analyze(h);
  EXPECT_EQ(m.leadership_losses, 2);
  // The takeover without a gap is an overwrite; taking it back after it expired is not.
  ASSERT_EQ(m.leader_key_overwrites.size(), 1u);
  EXPECT_DOUBLE_EQ(m.leader_key_overwrites[0].at_s, 9.0);
  EXPECT_EQ(m.leader_key_overwrites[0].from, "node1");
  EXPECT_EQ(m.leader_key_overwrites[0].to, "node2");
  EXPECT_EQ(DescribeOverwrite(m.leader_key_overwrites[0])
                .rfind("the leader key went from node1 to node2 at 9.00s without expiring: node2's Patroni", 0),
            0u);
  const Metric* overwrites = FindMetric("leader_key_overwrites");
  ASSERT_NE(overwrites, nullptr);
  EXPECT_EQ(overwrites->read(m, RunFacts{}).value, 1);
  EXPECT_EQ(overwrites->read(Analyze(History{}), RunFacts{}).verdict, VerdictStatus::kSkipped) << "no watch, no count";
  const Metric* metric = FindMetric("false_failovers");
  ASSERT_NE(metric, nullptr);
  RunFacts facts;
  EXPECT_EQ(metric->read(m, facts).value, 2);
  facts.failover_expected_by = "kill f1";
  const Reading r = metric->read(m, facts);
  EXPECT_EQ(r.verdict, VerdictStatus::kSkipped);
  EXPECT_NE(r.reason.find("kill f1"), std::string::npos);
  EXPECT_EQ(Analyze(History{}).leadership_losses, 0) << "a quiet run";
}

TEST(FalseFailovers, WithoutTheWatchTheObserverCountsLeaderChangesAndLeaderlessStretches) {
  History h;
  auto sample = [&](int64_t t, const std::string& leader) {
    ObserverSample s;
    s.t_ns = t;
    s.reachable = true;
    s.leader = leader;
    h.observer.push_back(s);
  };
  sample(1, "node1");
  sample(2, "");  // one leaderless sample: a glitch, not a loss
  sample(3, "node1");
  sample(4, "");
  sample(5, "");
  sample(6, "node1");  // lost and taken back: one
  sample(7, "node2");  // changed: two
  EXPECT_EQ(Analyze(h).leadership_losses, 2);
}

TEST(ClockOffsets, ServerStampsAreCorrectedByTheOffsetTheirProcessRanWith) {
  std::vector<JournalEntry> journal = {{10'000'000'000, JournalAction::kClock, "f", "postgres", "node1", "-300.000"},
                                       {40'000'000'000, JournalAction::kClock, "f", "postgres", "node1", "+0.000"}};
  const ClockOffsets offsets(journal);
  EXPECT_EQ(offsets.OffsetNs("node1", "postgres", 5'000'000'000), 0);
  EXPECT_EQ(offsets.OffsetNs("node1", "postgres", 20'000'000'000), -300'000'000'000);
  EXPECT_EQ(offsets.OffsetNs("node2", "postgres", 20'000'000'000), 0);
  EXPECT_EQ(offsets.Correct("node1", "postgres", 20'000'000'000 - 300'000'000'000), 20'000'000'000);
  EXPECT_EQ(offsets.Describe(), std::vector<std::string>{"node1 postgres: -300s"});

  History h;
  h.journal = journal;
  Op w;
  w.type = OpType::kWrite;
  w.server = "10.0.0.1";
  w.server_at_ns = 20'000'000'000 - 300'000'000'000;
  h.ops.push_back(w);
  h.events.push_back({21'000'000'000 - 300'000'000'000, "postgresql log", "node1", kEventAcceptsWrites, "node1"});
  h.events.push_back({22'000'000'000, "etcd watch", "", kEventLeaderKeySet, "node1"});
  const History fixed = WithServerClocksCorrected(h, offsets, {{"10.0.0.1", "node1"}});
  EXPECT_EQ(*fixed.ops[0].server_at_ns, 20'000'000'000);
  EXPECT_EQ(fixed.events[0].t_ns, 21'000'000'000) << "the log line, back on the run's clock";
  EXPECT_EQ(fixed.events[1].t_ns, 22'000'000'000) << "our own watch is not moved";
  EXPECT_EQ(Analyze(h).moved_clocks, std::vector<std::string>{"node1 postgres: -300s"});
}

TEST(FakedClock, OnlyTheFakedDaemonStartsWithThePreloadAndItsOwnSharedObjects) {
  ClusterPlan plan;
  plan.run_id = "abc123";
  HostPlan host;
  host.name = "node1";
  host.dir = "/run/x/node1";
  DaemonLaunch launch;
  launch.argv = {"/usr/bin/patroni", "/run/x/node1/patroni.yml"};
  EXPECT_EQ(WithFakedClock(plan, host, "patroni", launch).argv, launch.argv) << "nothing faked: nothing changes";
  plan.faked_clocks = {"patroni", "postgres"};
  if (ClockShimPath().empty()) GTEST_SKIP() << "libpgha-clock-shim.so is not built beside this test";
  const auto argv = WithFakedClock(plan, host, "patroni", launch).argv;
  ASSERT_GE(argv.size(), 3u);
  EXPECT_EQ(argv[0], "/usr/bin/env") << "only the daemon, not nsenter or setpriv before it";
  const std::string all = Join(argv, " ");
  EXPECT_NE(all.find("FAKETIME_ONLY_CMDS=python3,postgres "), std::string::npos) << "Patroni and its child: " << all;
  EXPECT_NE(all.find("FAKETIME_TIMESTAMP_FILE=/run/x/node1/clock-patroni.faketime"), std::string::npos);
  EXPECT_NE(all.find("FAKETIME_SHARED=/pgha-abc123-node1-patroni-sem /pgha-abc123-node1-patroni-shm"),
            std::string::npos);
  EXPECT_NE(all.find("DONT_FAKE_MONOTONIC=1"), std::string::npos);
  EXPECT_EQ(argv[argv.size() - 2], "/usr/bin/patroni");
  EXPECT_EQ(WithFakedClock(plan, host, "haproxy", launch).argv, launch.argv);
}

}  // namespace
}  // namespace pgha
