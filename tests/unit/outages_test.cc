// Outages split where writes flowed again and attributed to the step that
// started them; writability (split brain) from every acknowledgement.
#include <gtest/gtest.h>

#include <functional>

#include "check/measurements.h"
#include "check/metrics.h"
#include "check/verdict.h"

namespace pgha {
namespace {

constexpr int64_t kOutageS = 1000000000;
constexpr int64_t kOutageMs = 1000000;

struct Served {
  Outcome outcome = Outcome::kOk;
  std::string server;  // "" when it failed
};

// A run of `seconds`: a client write every 100 ms (5 ms each), served as
// `serve` says; direct probes of node1 (10.0.0.1) and node2 (10.0.0.2)
// every 100 ms (2 ms each), accepted as `writable` says; every acknowledged
// key read back at the end.
History MakeRun(int64_t seconds, const std::function<Served(int64_t)>& serve,
                const std::function<bool(const std::string&, int64_t)>& writable) {
  History h;
  int64_t key = 0;
  for (int64_t t = 0; t < seconds * kOutageS; t += 100 * kOutageMs) {
    const Served s = serve(t);
    Op w;
    w.key = key++;
    w.invoke_ns = t;
    w.complete_ns = t + 5 * kOutageMs;
    w.outcome = s.outcome;
    w.server = s.server;
    if (s.outcome == Outcome::kOk) {
      w.server_at_ns = w.complete_ns - kOutageMs;
      h.final_keys.insert(w.key);
    }
    h.ops.push_back(w);
    for (const char* node : {"node1", "node2"}) {
      Op p;
      p.type = OpType::kProbe;
      p.node = node;
      p.key = 1000000 + key++;
      p.invoke_ns = t;
      p.complete_ns = t + 2 * kOutageMs;
      p.outcome = writable(node, t) ? Outcome::kOk : Outcome::kFail;
      if (p.outcome == Outcome::kOk) p.server = std::string(node) == "node1" ? "10.0.0.1" : "10.0.0.2";
      h.ops.push_back(p);
    }
  }
  h.members = {"node1", "node2"};
  h.final_read_ok = true;
  h.end_ns = seconds * kOutageS;
  return h;
}

Served Ok(const char* server) { return {Outcome::kOk, server}; }
Served Failed() { return {Outcome::kFail, ""}; }
Served Timeout() { return {Outcome::kInfo, ""}; }

JournalEntry Inject(int64_t t, const char* id) { return {t, JournalAction::kInject, id, "pause", "lb1", ""}; }
JournalEntry Heal(int64_t t, const char* id) { return {t, JournalAction::kHeal, id, "pause", "lb1", ""}; }

Verdict JudgeOne(const Measurements& m, const std::string& metric, const std::string& target) {
  auto e = ParseExpectation(metric, target);
  EXPECT_TRUE(e.ok());
  return Judge({*e}, m, {})[0];
}

bool NodeOneOnly(const std::string& node, int64_t) { return node == "node1"; }

// lb-host-loss as the recount saw it: the VIP holder frozen at 10 s (writes
// time out until 12 s), 13 s of writes through the new holder, the heal at
// 25 s and one more failure when the thawed holder takes the VIP back.
History VipMovesTwice() {
  History h = MakeRun(
      35,
      [](int64_t t) {
        if (t >= 10 * kOutageS && t < 12 * kOutageS) return Timeout();
        if (t >= 25200 * kOutageMs && t < 25400 * kOutageMs) return Failed();
        return Ok("10.0.0.1");
      },
      NodeOneOnly);
  h.journal = {Inject(10 * kOutageS, "freeze"), Heal(25 * kOutageS, "freeze")};
  return h;
}

TEST(Outages, TwoDisruptionsAroundAHealAreTwoOutagesAndTheHealsIsListedApart) {
  const Measurements m = Analyze(VipMovesTwice());
  ASSERT_EQ(m.outages.size(), 2u);
  EXPECT_EQ(m.outages[0].cause, "fault");
  EXPECT_NEAR(m.outages[0].start_s, 10.0, 1e-9);
  EXPECT_NEAR(m.outages[0].duration_s, 2.005, 1e-9);  // to the write at 12.0 s, acknowledged at 12.005 s
  EXPECT_EQ(m.outages[1].cause, "heal");
  EXPECT_EQ(m.outages[1].fault_id, "freeze");
  EXPECT_NEAR(m.outages[1].fault_at_s, 25.0, 1e-9);
  EXPECT_NEAR(m.outages[1].start_s, 25.105, 1e-9);  // the last acknowledged write before it, after the heal
  EXPECT_NEAR(m.outages[1].duration_s, 0.3, 1e-9);  // to the write at 25.4 s
  ASSERT_TRUE(m.failover_time_s);
  EXPECT_NEAR(*m.failover_time_s, 2.005, 1e-9);
  ASSERT_TRUE(m.heal_disruption_s);
  EXPECT_NEAR(*m.heal_disruption_s, 0.3, 1e-9);
  EXPECT_EQ(JudgeOne(m, "failover_time", "< 3s").status, VerdictStatus::kPass);
  EXPECT_EQ(JudgeOne(m, "heal_disruption", "< 0.2s").status, VerdictStatus::kFail);
  EXPECT_EQ(JudgeOne(m, "heal_disruption", "< 1s").status, VerdictStatus::kPass);
}

JournalEntry VipOn(int64_t t, const char* host) { return {t, JournalAction::kVip, "", "vip", host, ""}; }

TEST(Outages, TheVipHolderBeforeAndAfterSaysWhetherItMovedBack) {
  History h = VipMovesTwice();
  h.journal = {VipOn(9 * kOutageS, "lb1"), Inject(10 * kOutageS, "freeze"), Heal(25 * kOutageS, "freeze"),
               VipOn(30 * kOutageS, "lb1")};
  Measurements m = Analyze(h);
  EXPECT_EQ(m.vip_before, "lb1");
  EXPECT_EQ(m.vip_at_end, "lb1");
  EXPECT_EQ(m.vip_movement, "moved back");  // the freeze hit lb1
  h.journal.back().target = "lb2";
  EXPECT_EQ(Analyze(h).vip_movement, "moved");
  h.journal.back().target = "lb1";
  h.journal[1].target = "lb3";  // the fault hit another host
  EXPECT_EQ(Analyze(h).vip_movement, "stayed");
  h.journal.pop_back();  // no holder recorded at the end: nothing said
  EXPECT_EQ(Analyze(h).vip_movement, "");
}

TEST(Outages, TwoDisruptionsAfterOneFaultSecondsApartAreTwoOutagesOfThatFault) {
  History h = MakeRun(
      30,
      [](int64_t t) {
        if (t >= 10 * kOutageS && t < 12 * kOutageS) return Failed();
        if (t >= 15 * kOutageS && t < 15500 * kOutageMs) return Failed();
        return Ok(t < 10 * kOutageS ? "10.0.0.1" : "10.0.0.2");
      },
      NodeOneOnly);
  h.journal = {Inject(10 * kOutageS, "kill")};
  const Measurements m = Analyze(h);
  ASSERT_EQ(m.outages.size(), 2u);
  EXPECT_EQ(m.outages[0].cause, "fault");
  EXPECT_EQ(m.outages[1].cause, "fault");
  EXPECT_NEAR(m.outages[1].start_s, 14.905, 1e-9);  // from the last acknowledged write, not from the fault
  EXPECT_NEAR(m.outages[1].duration_s, 0.6, 1e-9);
  ASSERT_TRUE(m.failover_time_s);
  EXPECT_NEAR(*m.failover_time_s, 2.005, 1e-9);
  EXPECT_FALSE(m.heal_disruption_s);
  // The write gap of each outage, on both clocks.
  ASSERT_TRUE(m.outages[1].client_gap_s && m.outages[1].server_gap_s);
  EXPECT_NEAR(*m.outages[1].client_gap_s, 0.6, 1e-9);
  EXPECT_NEAR(*m.outages[1].server_gap_s, 0.6, 1e-9);
}

TEST(Outages, ABurstShorterThanTheFlowThresholdDoesNotSplitAnOutage) {
  // Three writes (200 ms of flow) between two stretches of failures: the
  // threshold is four median intervals (400 ms).
  History h = MakeRun(
      30,
      [](int64_t t) {
        if (t >= 10 * kOutageS && t < 12 * kOutageS) return Failed();
        if (t >= 12300 * kOutageMs && t < 14 * kOutageS) return Failed();
        return Ok(t < 10 * kOutageS ? "10.0.0.1" : "10.0.0.2");
      },
      NodeOneOnly);
  h.journal = {Inject(10 * kOutageS, "kill")};
  const Measurements m = Analyze(h);
  EXPECT_NEAR(m.flow_threshold_s, 0.4, 1e-9);
  ASSERT_EQ(m.outages.size(), 1u);
  EXPECT_NEAR(m.outages[0].duration_s, 4.005, 1e-9);
}

TEST(Outages, AHealThatNeverRecoversFailsHealDisruptionAndTheWrites) {
  History h = MakeRun(
      30,
      [](int64_t t) {
        if (t >= 10 * kOutageS && t < 12 * kOutageS) return Failed();
        if (t >= 20500 * kOutageMs) return Failed();
        return Ok("10.0.0.1");
      },
      NodeOneOnly);
  h.journal = {Inject(10 * kOutageS, "f"), Heal(20 * kOutageS, "f")};
  const Measurements m = Analyze(h);
  ASSERT_EQ(m.outages.size(), 2u);
  EXPECT_FALSE(m.outages[1].recovered);
  EXPECT_EQ(JudgeOne(m, "heal_disruption", "< 10s").status, VerdictStatus::kFail);
  EXPECT_EQ(JudgeOne(m, "failover_time", "< 10s").status, VerdictStatus::kFail);
}

TEST(Outages, NothingHealedSkipsHealDisruption) {
  History h = MakeRun(
      20, [](int64_t) { return Ok("10.0.0.1"); }, NodeOneOnly);
  h.journal = {Inject(10 * kOutageS, "f")};
  const Measurements m = Analyze(h);
  EXPECT_TRUE(m.outages.empty());
  EXPECT_EQ(JudgeOne(m, "heal_disruption", "< 1s").status, VerdictStatus::kSkipped);
  ASSERT_TRUE(m.failover_time_s);
  EXPECT_EQ(*m.failover_time_s, 0);
}

// No write failed: etcd's elections and slow-disk warnings count from the first fault to the end.
TEST(Outages, WithoutAnOutageEtcdsEventsCountFromTheFirstFault) {
  History h = MakeRun(
      20, [](int64_t) { return Ok("10.0.0.1"); }, NodeOneOnly);
  h.journal = {Inject(10 * kOutageS, "f")};
  h.events = {{9 * kOutageS, "etcd log", "node1", kEventEtcdLeader, "node1"},
              {11 * kOutageS, "etcd log", "node2", kEventEtcdLeader, "node2"},
              {12 * kOutageS, "etcd log", "node2", kEventEtcdSlowDisk, "node2"},
              {19 * kOutageS, "etcd log", "node2", kEventEtcdSlowDisk, "node2"}};
  const Measurements m = Analyze(h);
  EXPECT_TRUE(m.outages.empty());
  ASSERT_EQ(m.etcd_elections.size(), 1u) << "the one before the fault is bring-up's";
  EXPECT_NEAR(m.etcd_elections[0].after_fault_s, 1.0, 1e-9);
  EXPECT_EQ(m.etcd_slow_disk, 2);
}

// node2 writable (probes) from 18 s; the endpoint's writes go to node2 too.
Served NewPrimaryFrom18(int64_t t) {
  if (t >= 10 * kOutageS && t < 18 * kOutageS) return Failed();
  return Ok(t < 10 * kOutageS ? "10.0.0.1" : "10.0.0.2");
}
bool ProbesSwitchAt(const std::string& node, int64_t t) {
  return node == "node1" ? t < 10 * kOutageS : t >= 18 * kOutageS;
}

TEST(SplitBrainEvidence, ALoneWriteByTheOldPrimaryWhileTheNewOneIsWritableIsCounted) {
  History h = MakeRun(
      30, [](int64_t t) { return t == 19 * kOutageS ? Ok("10.0.0.1") : NewPrimaryFrom18(t); }, ProbesSwitchAt);
  h.journal = {Inject(10 * kOutageS, "f")};
  const Measurements m = Analyze(h);
  ASSERT_EQ(m.split_brain_intervals.size(), 1u);
  EXPECT_NEAR(m.split_brain_intervals[0].start_s, 19.0, 1e-9);
  EXPECT_NEAR(m.split_brain_intervals[0].end_s, 19.005, 1e-9);
  EXPECT_EQ(m.split_brain_intervals[0].nodes, (std::vector<std::string>{"node1", "node2"}));
  // The old primary's write, and node2's probe at 19.0 s.
  EXPECT_EQ(m.split_brain_writes, 2);
  EXPECT_EQ(JudgeOne(m, "split_brain", "0s").status, VerdictStatus::kFail);
}

TEST(SplitBrainEvidence, EndpointWritesPastTheLastProbeOfAWindowAreCounted) {
  // node1's probes are accepted until 19.9 s (refused from 20.0 s), but the
  // endpoint keeps writing to node1 until 20.3 s; node2 is writable from 18 s.
  History h = MakeRun(
      30,
      [](int64_t t) {
        if (t >= 18 * kOutageS && t < 20300 * kOutageMs) return Ok("10.0.0.1");
        return NewPrimaryFrom18(t);
      },
      [](const std::string& node, int64_t t) { return node == "node1" ? t < 20 * kOutageS : t >= 18 * kOutageS; });
  h.journal = {Inject(10 * kOutageS, "f")};
  const Measurements m = Analyze(h);
  ASSERT_FALSE(m.split_brain_intervals.empty());
  EXPECT_NEAR(m.split_brain_intervals.front().start_s, 18.0, 1e-9);
  EXPECT_NEAR(m.split_brain_intervals.back().end_s, 20.205, 1e-9);  // the endpoint's last write on node1
  // Every write node1 acknowledged from 18 s (23 of them), node1's probes
  // 18.0..19.9 s (20) and node2's probes 18.0..20.2 s (23).
  EXPECT_EQ(m.split_brain_writes, 23 + 20 + 23);
}

}  // namespace
}  // namespace pgha
