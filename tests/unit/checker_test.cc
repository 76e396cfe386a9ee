#include <gtest/gtest.h>

#include "check/measurements.h"
#include "check/verdict.h"
#include "result/result_json.h"

namespace pgha {
namespace {

constexpr int64_t kS = 1000000000;
constexpr int64_t kMs = 1000000;

// A synthetic run: writes every 100 ms from t=0 to t=30 s through HAProxy,
// node1 (10.0.0.1) primary until a fault at 10 s, an outage, then node2
// (10.0.0.2) from `failover_at`; heal at 20 s; the final read has every
// acknowledged key.
class CheckerTest : public ::testing::Test {
 protected:
  // Every phase's time after the fault (unset: not seen) and its source.
  static void ExpectPhases(const Measurements& m,
                           const std::vector<std::pair<std::optional<double>, std::string>>& expected) {
    ASSERT_EQ(m.phases.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      const auto& [at, source] = expected[i];
      ASSERT_EQ(m.phases[i].after_fault_s.has_value(), at.has_value()) << m.phases[i].name;
      if (!at) continue;
      EXPECT_NEAR(*m.phases[i].after_fault_s, *at, 1e-9) << m.phases[i].name;
      EXPECT_EQ(m.phases[i].source, source) << m.phases[i].name;
    }
  }
  void Build(int64_t failover_at = 18 * kS) {
    h_ = History();
    int64_t key = 0;
    for (int64_t t = 0; t < 30 * kS; t += 100 * kMs) {
      Op w;
      w.type = OpType::kWrite;
      w.key = key++;
      w.invoke_ns = t;
      w.complete_ns = t + 5 * kMs;
      if (t < 10 * kS) {
        w.server = "10.0.0.1";
      } else if (t < failover_at) {
        w.outcome = Outcome::kFail;
        w.error = "connection refused";
      } else {
        w.server = "10.0.0.2";
      }
      h_.ops.push_back(w);
      if (w.outcome == Outcome::kOk) h_.final_keys.insert(w.key);
    }
    // Probes: node1 writable until 10 s, node2 from failover_at.
    for (int64_t t = 0; t < 30 * kS; t += 100 * kMs) {
      for (const char* node : {"node1", "node2"}) {
        Op p;
        p.type = OpType::kProbe;
        p.node = node;
        p.key = 1000000 + key++;
        p.invoke_ns = t;
        p.complete_ns = t + 2 * kMs;
        bool writable = std::string(node) == "node1" ? t < 10 * kS : t >= failover_at;
        p.outcome = writable ? Outcome::kOk : Outcome::kFail;
        p.server = std::string(node) == "node1" ? "10.0.0.1" : "10.0.0.2";
        h_.ops.push_back(p);
      }
    }
    for (int64_t t = 0; t < 30 * kS; t += 250 * kMs) {
      ObserverSample s;
      s.t_ns = t;
      s.reachable = true;
      s.router_reachable = true;
      s.leader = t < 10 * kS ? "node1" : t < 17 * kS ? "" : "node2";
      s.router_write_targets = t < 10 * kS   ? std::vector<std::string>{"node1"}
                               : t < 18 * kS ? std::vector<std::string>{}
                                             : std::vector<std::string>{"node2"};
      bool recovered = t >= 25 * kS;
      s.members = {
          {"node2", "leader", "running", "10.0.0.2", 2, 0},
          {"node1", "replica", recovered ? "running" : "stopped", "10.0.0.1", recovered ? 2 : 1, recovered ? 0 : -1}};
      h_.observer.push_back(s);
    }
    h_.journal = {{10 * kS, JournalAction::kInject, "f", "kill", "node1", "SIGKILL patroni, postgres"},
                  {20 * kS, JournalAction::kHeal, "f", "kill", "node1", ""}};
    h_.members = {"node1", "node2"};
    h_.final_read_ok = true;
    h_.final_primary = "node2";
    h_.end_ns = 30 * kS;
  }
  Verdict JudgeOne(const std::string& metric, const std::string& target, RunFacts facts = {}) {
    auto e = ParseExpectation(metric, target);
    EXPECT_TRUE(e.ok());
    return Judge({*e}, Analyze(h_), facts)[0];
  }
  History h_;
};

TEST_F(CheckerTest, ACleanFailoverPasses) {
  Build();
  auto m = Analyze(h_);
  ASSERT_TRUE(m.failover_time_s);
  EXPECT_NEAR(*m.failover_time_s, 8.005, 1e-9);
  EXPECT_EQ(m.old_primary_server, "10.0.0.1");
  EXPECT_TRUE(m.lost_keys.empty());
  EXPECT_DOUBLE_EQ(m.split_brain_s, 0);
  ASSERT_TRUE(m.recovery_time_s);
  EXPECT_NEAR(*m.recovery_time_s, 5.0, 1e-9);
  EXPECT_EQ(m.leader_changes, 1);
  EXPECT_EQ(m.writes_failed, 80);
  EXPECT_EQ(JudgeOne("failover_time", "< 10s").status, VerdictStatus::kPass);
  EXPECT_EQ(JudgeOne("lost_writes", "0").status, VerdictStatus::kPass);
  EXPECT_EQ(JudgeOne("split_brain", "0s").status, VerdictStatus::kPass);
  EXPECT_EQ(JudgeOne("recovery_time", "< 60s").status, VerdictStatus::kPass);
  // Phases: key gone and elected from the observer, promoted from probes;
  // no log said when it accepted writes.
  ExpectPhases(m, {{0.0, "observer"},
                   {7.0, "observer"},
                   {8.002, "probe"},
                   {std::nullopt, ""},
                   {8.0, "observer"},
                   {8.005, "writes"}});
  EXPECT_TRUE(m.phase_disorder.empty());
}

TEST_F(CheckerTest, PhasesComeFromTheClustersOwnEventsToTheMillisecond) {
  Build();
  const int64_t ms = kMs;
  h_.events = {{10 * kS + 5001 * ms, "etcd watch", "", kEventLeaderKeyGone, ""},
               {10 * kS + 5130 * ms, "etcd watch", "", kEventLeaderKeySet, "node2"},
               {10 * kS + 5190 * ms, "postgresql log", "node2", kEventNewTimeline, "node2"},
               {10 * kS + 5262 * ms, "postgresql log", "node2", kEventAcceptsWrites, "node2"},
               {10 * kS + 5400 * ms, "haproxy log", "lb", kEventRoutedUp, "node2"}};
  const Measurements m = Analyze(h_);
  ExpectPhases(m, {{5.001, "etcd watch"},
                   {5.130, "etcd watch"},
                   {5.190, "postgresql log"},
                   {5.262, "postgresql log"},
                   {5.400, "haproxy log"},
                   {8.005, "writes"}});
  // The first write came back at 8.005 s: after every phase.
  EXPECT_TRUE(m.phase_disorder.empty()) << m.phase_disorder[0];
}

// etcd's elections from the fault to the new leader: one before the fault and
// one after the new leader (the heal's) are not the outage's.
TEST_F(CheckerTest, EtcdElectionsOfTheOutageAreListedBesideThePhases) {
  Build();
  const int64_t ms = kMs;
  h_.events = {{9 * kS, "etcd log", "node1", kEventEtcdLeader, "node1"},
               {10 * kS + 1430 * ms, "etcd log", "node2", kEventEtcdLeader, "node2"},
               {10 * kS + 2000 * ms, "etcd log", "node2", kEventEtcdSlowDisk, "node2"},
               {10 * kS + 6100 * ms, "etcd log", "node3", kEventEtcdLeader, "node3"},
               {10 * kS + 7100 * ms, "etcd watch", "", kEventLeaderKeyGone, ""},
               {10 * kS + 7200 * ms, "etcd watch", "", kEventLeaderKeySet, "node2"},
               {10 * kS + 7300 * ms, "etcd log", "node1", kEventEtcdLeader, "node1"}};
  const Measurements m = Analyze(h_);
  ASSERT_EQ(m.etcd_elections.size(), 2u);
  EXPECT_NEAR(m.etcd_elections[0].after_fault_s, 1.43, 1e-9);
  EXPECT_EQ(m.etcd_elections[0].leader, "node2");
  EXPECT_NEAR(m.etcd_elections[1].after_fault_s, 6.1, 1e-9);
  EXPECT_EQ(m.etcd_elections[1].leader, "node3");
  EXPECT_EQ(m.etcd_slow_disk, 1);
  const auto back = MeasurementsFromJson(MeasurementsToJson(m));
  ASSERT_EQ(back.etcd_elections.size(), 2u);
  EXPECT_EQ(back.etcd_elections[1].leader, "node3");
  EXPECT_EQ(back.etcd_slow_disk, 1);
}

TEST_F(CheckerTest, PhasesOutOfCausalOrderNameTheSourcesThatDisagree) {
  Build();
  // A promotion logged 20 ms before the key was taken: one of the two clocks is wrong.
  h_.events = {{10 * kS + 5130 * kMs, "etcd watch", "", kEventLeaderKeySet, "node2"},
               {10 * kS + 5110 * kMs, "postgresql log", "node2", kEventNewTimeline, "node2"}};
  const Measurements m = Analyze(h_);
  ASSERT_EQ(m.phase_disorder.size(), 1u);
  EXPECT_NE(m.phase_disorder[0].find("\"new leader elected\" (etcd watch, 5.130s) came after \"promoted\" "
                                     "(postgresql log, 5.110s)"),
            std::string::npos)
      << m.phase_disorder[0];
}

TEST_F(CheckerTest, FailoverIsMeasuredFromTheFaultThatCausedTheOutage) {
  Build();
  // A harmless fault at 4 s (say, a replica killed) comes before the primary kill at 10 s.
  h_.journal.insert(h_.journal.begin(), {4 * kS, JournalAction::kInject, "r", "kill", "node3", "replica"});
  auto m = Analyze(h_);
  EXPECT_NEAR(m.fault_at_s, 10.0, 1e-9);
  ASSERT_TRUE(m.failover_time_s);
  EXPECT_NEAR(*m.failover_time_s, 8.005, 1e-9);
}

// Writes invoked in [from, to) fail; after `to` they are served by `server`.
void FailWritesBetween(History* h, int64_t from, int64_t to, const std::string& server) {
  for (auto& op : h->ops) {
    if (op.type != OpType::kWrite || op.invoke_ns < from) continue;
    if (op.invoke_ns < to) {
      op.outcome = Outcome::kFail;
      op.server.clear();
      h->final_keys.erase(op.key);
    } else {
      op.outcome = Outcome::kOk;
      op.server = server;
      h->final_keys.insert(op.key);
    }
  }
}

TEST_F(CheckerTest, TheWorstOfSeveralOutagesIsTheFailoverTime) {
  Build(/*failover_at=*/12 * kS);  // first outage: 10 s .. 12 s on node2
  h_.journal.push_back({22 * kS, JournalAction::kInject, "g", "kill", "node2", "SIGKILL patroni, postgres"});
  FailWritesBetween(&h_, 22 * kS, 29 * kS, "10.0.0.1");  // second: 22 s .. 29 s back on node1
  auto m = Analyze(h_);
  ASSERT_EQ(m.outages.size(), 2u);
  EXPECT_EQ(m.outages[0].fault_id, "f");
  EXPECT_NEAR(m.outages[0].duration_s, 2.005, 1e-9);
  EXPECT_EQ(m.outages[1].fault_id, "g");
  EXPECT_NEAR(m.outages[1].duration_s, 7.005, 1e-9);
  ASSERT_TRUE(m.failover_time_s);
  EXPECT_NEAR(*m.failover_time_s, 7.005, 1e-9);
  EXPECT_NEAR(m.fault_at_s, 22.0, 1e-9);
  EXPECT_EQ(m.old_primary_server, "10.0.0.2");
  EXPECT_EQ(JudgeOne("failover_time", "< 5s").status, VerdictStatus::kFail);
}

TEST_F(CheckerTest, FailuresAfterAHealAreAHealDisruptionNotAFailover) {
  Build();                                               // outage 10 s .. 18 s, heal at 20 s
  FailWritesBetween(&h_, 21 * kS, 23 * kS, "10.0.0.2");  // the heal disturbs writes, no new fault
  auto m = Analyze(h_);
  ASSERT_EQ(m.outages.size(), 2u);
  EXPECT_EQ(m.outages[1].cause, "heal");
  ASSERT_TRUE(m.failover_time_s);
  EXPECT_NEAR(*m.failover_time_s, 8.005, 1e-9);
  ASSERT_TRUE(m.heal_disruption_s);
  EXPECT_NEAR(*m.heal_disruption_s, 2.1, 1e-9);  // from the write acknowledged at 20.905 s to the one at 23.005 s
}

TEST_F(CheckerTest, TimelineChangesCountPromotionsNotRestartsInPlace) {
  Build();  // node1 (timeline 1) leads, then node2 is promoted to timeline 2
  auto m = Analyze(h_);
  EXPECT_EQ(m.leader_changes, 1);
  EXPECT_EQ(m.timeline_changes, 1);
  EXPECT_EQ(JudgeOne("timeline_changes", "0").status, VerdictStatus::kFail);
  // The same leader throughout, on one timeline: a restart in place.
  for (auto& s : h_.observer) {
    s.leader = s.t_ns < 10 * kS || s.t_ns >= 12 * kS ? "node2" : "";
  }
  m = Analyze(h_);
  EXPECT_EQ(m.leader_changes, 0);
  EXPECT_EQ(m.timeline_changes, 0);
  EXPECT_EQ(JudgeOne("timeline_changes", "0").status, VerdictStatus::kPass);
}

TEST_F(CheckerTest, AnOutageLongerThanTheTargetFails) {
  Build(/*failover_at=*/22 * kS);
  auto v = JudgeOne("failover_time", "< 10s");
  EXPECT_EQ(v.status, VerdictStatus::kFail);
  EXPECT_EQ(v.measured_text, "12.01s");
  EXPECT_NE(v.reason.find("measured 12.01s"), std::string::npos) << v.reason;
}

TEST_F(CheckerTest, ALostAcknowledgedWriteIsFound) {
  Build();
  h_.final_keys.erase(3);
  h_.final_keys.erase(250);
  auto m = Analyze(h_);
  EXPECT_EQ(m.lost_keys, (std::vector<int64_t>{3, 250}));
  auto v = JudgeOne("lost_writes", "0");
  EXPECT_EQ(v.status, VerdictStatus::kFail);
  EXPECT_EQ(v.measured_text, "2");
}

TEST_F(CheckerTest, IndeterminateWritesAreListedApartNotLost) {
  Build();
  h_.ops[100].outcome = Outcome::kInfo;  // t=10.0 s: sent, connection broke
  h_.ops[101].outcome = Outcome::kInfo;
  h_.final_keys.insert(h_.ops[100].key);  // this one had committed
  auto m = Analyze(h_);
  EXPECT_EQ(m.info_recovered_keys, (std::vector<int64_t>{h_.ops[100].key}));
  EXPECT_EQ(m.info_absent_keys, (std::vector<int64_t>{h_.ops[101].key}));
  EXPECT_TRUE(m.lost_keys.empty());
  EXPECT_EQ(m.writes_info, 2);
}

TEST_F(CheckerTest, TwoOverlappingPrimariesAreASplitBrain) {
  Build();
  // node1 keeps accepting direct writes until 21 s: overlap 18 s..21 s.
  for (auto& op : h_.ops)
    if (op.type == OpType::kProbe && op.node == "node1" && op.invoke_ns < 21 * kS) op.outcome = Outcome::kOk;
  auto m = Analyze(h_);
  ASSERT_EQ(m.split_brain_intervals.size(), 1u);
  EXPECT_NEAR(m.split_brain_intervals[0].start_s, 18.0, 1e-9);
  EXPECT_NEAR(m.split_brain_intervals[0].end_s, 20.902, 1e-9);
  EXPECT_EQ(m.split_brain_intervals[0].nodes, (std::vector<std::string>{"node1", "node2"}));
  EXPECT_NEAR(m.split_brain_s, 2.902, 1e-9);
  EXPECT_GT(m.split_brain_writes, 29 * 2);  // probes on both nodes plus HAProxy writes on node2
  auto v = JudgeOne("split_brain", "0s");
  EXPECT_EQ(v.status, VerdictStatus::kFail);
  EXPECT_EQ(v.measured_text, "2.90s");
}

TEST_F(CheckerTest, NeverRecoveringFailsWithTheReason) {
  Build(/*failover_at=*/31 * kS);
  auto v = JudgeOne("failover_time", "< 10s");
  EXPECT_EQ(v.status, VerdictStatus::kFail);
  EXPECT_NE(v.measured_text.find("no acknowledged write after the outage"), std::string::npos);
}

TEST_F(CheckerTest, NoRecoveryAfterHealFails) {
  Build();
  for (auto& s : h_.observer) s.members[1].state = "stopped";
  const Verdict v = JudgeOne("recovery_time", "< 60s");
  EXPECT_EQ(v.status, VerdictStatus::kFail);
  // The reason names what the run's last sample showed.
  EXPECT_NE(v.reason.find("at the run's end: node1 (replica, stopped, timeline 2) not running"), std::string::npos)
      << v.reason;
}

TEST_F(CheckerTest, AMemberMissingFromPatronisListIsNotRecovered) {
  Build();
  // node1's key expired while it was frozen: Patroni lists node2 alone, all healthy.
  for (auto& s : h_.observer)
    if (s.t_ns < 26 * kS) s.members = {{"node2", "leader", "running", "10.0.0.2", 2, 0}};
  auto m = Analyze(h_);
  ASSERT_TRUE(m.recovery_time_s);
  EXPECT_NEAR(*m.recovery_time_s, 6.0, 1e-9);
}

TEST_F(CheckerTest, RecoveryIsTheStartOfTheLastHealthyStretch) {
  Build();  // whole from 25 s
  // Whole for a moment right after the heal (20 s .. 21 s), then a
  // reinitialize stops node1 until 25 s.
  for (auto& s : h_.observer)
    if (s.t_ns >= 20 * kS && s.t_ns < 21 * kS) s.members[1] = {"node1", "replica", "running", "10.0.0.1", 2, 0};
  // A streaming replica a few kB behind in the last sample is still caught up.
  h_.observer.back().members[1].lag_bytes = 8304;
  auto m = Analyze(h_);
  ASSERT_TRUE(m.recovery_time_s);
  EXPECT_NEAR(*m.recovery_time_s, 5.0, 1e-9);
  // One that fell behind by more is not, and the cluster did not recover.
  h_.observer.back().members[1].lag_bytes = 50 << 20;
  EXPECT_FALSE(Analyze(h_).recovery_time_s);
  EXPECT_EQ(Analyze(h_).not_recovered_because, "node1 (replica, running, timeline 2) 52428800 bytes behind");
}

TEST(WhyNotRecovered, NamesEachMemberThatIsNotWhole) {
  ObserverSample s;
  s.reachable = true;
  s.leader = "node2";
  s.members = {{"node2", "leader", "running", "h2", 2, 0},
               {"node1", "leader", "running", "h1", 1, 0},
               {"node3", "replica", "streaming", "h3", 1, 0}};
  EXPECT_EQ(WhyNotRecovered({"node1", "node2", "node3", "node4"}, s),
            "node4 not listed by Patroni; node1 (leader, running, timeline 1) a leader without the key, held by "
            "node2; node3 (replica, streaming, timeline 1) not on the leader's timeline 2");
  s.members[1] = {"node1", "replica", "streaming", "h1", 2, 100};
  s.members[2].timeline = 2;
  EXPECT_EQ(WhyNotRecovered({"node1", "node2", "node3"}, s), "");
  EXPECT_TRUE(SampleShowsRecovered({"node1", "node2", "node3"}, s));
  s.leader = "";
  EXPECT_EQ(WhyNotRecovered({"node1"}, s), "no member held the leader key");
  s.reachable = false;
  EXPECT_EQ(WhyNotRecovered({"node1"}, s), "no Patroni answered");
}

TEST_F(CheckerTest, SkippedAndErrorVerdicts) {
  Build();
  h_.journal.clear();
  EXPECT_EQ(JudgeOne("failover_time", "< 10s").status, VerdictStatus::kSkipped);
  EXPECT_EQ(JudgeOne("recovery_time", "< 60s").status, VerdictStatus::kSkipped);
  RunFacts broken;
  broken.infrastructure_error = "the cluster did not come up";
  auto v = JudgeOne("lost_writes", "0", broken);
  EXPECT_EQ(v.status, VerdictStatus::kError);
  h_.final_read_ok = false;
  h_.final_read_error = "connection refused";
  EXPECT_EQ(JudgeOne("lost_writes", "0").status, VerdictStatus::kError);
}

TEST_F(CheckerTest, OpsRoundTripThroughJson) {
  Build();
  Op op = h_.ops[105];
  Op back = OpFromJson(OpToJson(op));
  EXPECT_EQ(back.key, op.key);
  EXPECT_EQ(back.outcome, op.outcome);
  EXPECT_EQ(back.invoke_ns, op.invoke_ns);
  EXPECT_EQ(back.error, op.error);
}

}  // namespace
}  // namespace pgha
