// The fault registry and the kinds added with it: a kind is one
// registration (a test-only kind, read from a scenario, injected and
// healed through its undo); latency through the packet engine, measured;
// the partition shapes; the one target resolver of the run and the dry run.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <set>

#include "check/verdict.h"
#include "core/files.h"
#include "core/text.h"
#include "fakes/fake_provider.h"
#include "fakes/fakes.h"
#include "fakes/fault_env.h"
#include "fakes/fault_kind_fixture.h"
#include "fakes/fault_spec.h"
#include "faults/registry.h"
#include "run/cluster_view.h"
#include "run/prediction.h"
#include "scenario/scenario.h"
#include "scenario/topology_loader.h"

namespace pgha {
namespace {
namespace fs = std::filesystem;
using namespace testing;

// A kind that exists only here: it reads `level`, predicts a process kill,
// and its undo appends to a log the test reads.
struct LevelParams : FaultParams {
  int level = 0;
  std::string Describe() const override { return "level " + std::to_string(level); }
};

class TestOnlyFault : public FaultType {
 public:
  std::string Name() const override { return "test_only"; }
  std::string Summary() const override { return "does nothing but say so"; }
  std::shared_ptr<const FaultParams> Read(FaultReadContext& r) const override {
    auto p = std::make_shared<LevelParams>();
    r.map.Require("level");
    r.map.Int("level", 1, 9, &p->level);
    return p;
  }
  Injection Inject(FaultEnv&, const ResolvedFault& f) const override {
    Injection in;
    const int level = ParamsOf<LevelParams>(f.spec)->level;
    in.detail = "level " + std::to_string(level) + " on " + f.hosts[0];
    log->push_back("inject " + f.hosts[0]);
    in.undo.Add([this, host = f.hosts[0]](FaultEnv&) {
      log->push_back("undo " + host);
      return Status::Ok();
    });
    return in;
  }
  std::optional<FailureClass> Predicts(const FaultSpec&) const override { return FailureClass::kProcessKill; }
  std::vector<std::string>* log = nullptr;
};

using FaultKindsTest = FaultKindFixture;

TEST_F(FaultKindsTest, AKindIsOneRegistrationFromScenarioToHeal) {
  std::vector<std::string> log;
  TestOnlyFault kind;
  kind.log = &log;
  const std::string yaml =
      "name: t\nsteps:\n  - fault: test_only\n    target: node2\n    level: 3\n  - heal: all\nexpect:\n  lost_writes: "
      "0\n";
  EXPECT_FALSE(ParseScenario(yaml, "t.yaml", PGHA_SOURCE_DIR "/fixtures").ok()) << "unknown before it is registered";
  ScopedFaultType registered(&kind);
  auto s = ParseScenario(yaml, "t.yaml", PGHA_SOURCE_DIR "/fixtures");
  ASSERT_TRUE(s.ok()) << s.status().message();
  const Step& step = s->scenario.steps[0];
  EXPECT_EQ(step.Describe(), "test_only level 3 on node2");
  EXPECT_TRUE(PredictFor(s->scenario).has_value()) << "its failure class reaches the prediction";
  EXPECT_NE(
      ParseScenario(yaml.substr(0, yaml.find("    level")) + "  - heal: all\n", "t.yaml", PGHA_SOURCE_DIR "/fixtures")
          .status()
          .message()
          .find("needs the key \"level\""),
      std::string::npos)
      << "its own keys are checked by its own reader";
  auto inj = Injector();
  auto done = inj.Inject(OnHosts(step.fault, {"node2"}));
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(*done, "level 3 on node2");
  ASSERT_TRUE(inj.HealAll().ok());
  EXPECT_EQ(log, (std::vector<std::string>{"inject node2", "undo node2"}));
  ASSERT_TRUE(inj.HealAll().ok());
  EXPECT_EQ(log.size(), 2u) << "an undo runs once";
}

TEST_F(FaultKindsTest, EveryKindHasAUniqueNameAndASummary) {
  std::set<std::string> names;
  for (const FaultType* t : AllFaultTypes()) {
    EXPECT_TRUE(names.insert(t->Name()).second) << t->Name();
    EXPECT_FALSE(t->Summary().empty()) << t->Name();
    EXPECT_EQ(FindFaultType(t->Name()), t);
  }
  EXPECT_GE(names.size(), 12u);
  EXPECT_EQ(FindFaultType("nope"), nullptr);
}

// Round trips a probe prints: `ms` each.
std::string ProbeOutput(double ms, int timeouts = 0) {
  std::string out;
  for (int i = 0; i < 15 - timeouts; ++i) out += std::to_string(ms + 0.1 * i) + "\n";
  for (int i = 0; i < timeouts; ++i) out += "timeout\n";
  return out;
}

TEST_F(FaultKindsTest, LatencyRunsThePacketEngineQueuesTheTrafficAndMeasuresIt) {
  provider_.local_programs = true;
  const std::string probe = "node1: " + ThisProgram() + " tcp-probe";
  provider_.exec_answers[probe] = ProbeOutput(1.0);
  provider_.on_block = [&] { provider_.exec_answers[probe] = ProbeOutput(201.0); };  // the rules act on it
  auto inj = Injector();
  std::vector<FaultEffect> effects;
  auto done = inj.Inject(Fault("fault: latency\ndelay: 200ms\njitter: 10ms\ndistribution: normal"), &effects);
  ASSERT_TRUE(done.ok()) << done.status().message();
  ASSERT_EQ(provider_.started.size(), 1u);
  const auto& argv = provider_.started[0].argv;
  EXPECT_EQ(argv[1], "packet-engine");
  EXPECT_NE(std::find(argv.begin(), argv.end(), "--jitter-ms"), argv.end());
  EXPECT_EQ(provider_.started[0].label, "packet-engine@node1:f");
  ASSERT_EQ(provider_.rules.size(), 1u) << "outgoing traffic only, by default";
  EXPECT_EQ(provider_.rules[0].block.direction, TrafficBlock::Direction::kOut);
  EXPECT_GE(provider_.rules[0].block.queue, 0);
  ASSERT_EQ(effects.size(), 1u);
  EXPECT_NEAR(effects[0].p50, 200.0, 1.0) << "less the path's own round trip";
  EXPECT_TRUE(effects[0].within());
  EXPECT_NE(done->find("measured node1 -> 10.77.0.11"), std::string::npos) << *done;
  const int engine = provider_.procs.back().info.pid;
  ASSERT_TRUE(inj.HealAll().ok());
  EXPECT_TRUE(provider_.rules.empty());
  EXPECT_NE(std::find(provider_.signals.begin(), provider_.signals.end(), std::pair<int, int>{engine, SIGTERM}),
            provider_.signals.end())
      << "the engine is stopped after its rules are gone";
}

TEST_F(FaultKindsTest, ADelayFarFromWhatWasAskedIsAMeasurementErrorOfTheRun) {
  provider_.local_programs = true;
  const std::string probe = "node1: " + ThisProgram() + " tcp-probe";
  provider_.exec_answers[probe] = ProbeOutput(1.0);
  provider_.on_block = [&] { provider_.exec_answers[probe] = ProbeOutput(1001.0); };
  auto inj = Injector();
  RunFacts facts;
  ASSERT_TRUE(inj.Inject(Fault("fault: latency\ndelay: 200ms\ndirection: both"), &facts.fault_effects).ok());
  ASSERT_EQ(provider_.rules.size(), 2u);
  ASSERT_EQ(facts.fault_effects.size(), 1u);
  EXPECT_DOUBLE_EQ(facts.fault_effects[0].asked, 400) << "both ways: the round trip crosses it twice";
  EXPECT_FALSE(facts.fault_effects[0].within());
  auto e = ParseExpectation("lost_writes", "0");
  Measurements m;
  m.fault_injected = true;
  m.final_read_ok = true;
  const auto v = Judge({*e}, m, facts);
  EXPECT_EQ(v[0].status, VerdictStatus::kError);
  EXPECT_NE(v[0].reason.find("measurement error: fault f asked delay_ms 400 and measured 1000"), std::string::npos)
      << v[0].reason;
}

TEST_F(FaultKindsTest, LatencyWithoutEngineOrNetemIsSkippedWithBothReasons) {
  provider_.no_delay = "tc netem is not available on this machine: the kernel lacks sch_netem";
  auto inj = Injector();
  const std::string why = inj.Check(Fault("fault: latency\ndelay: 100ms"));
  EXPECT_NE(why.find("cannot run our packet engine"), std::string::npos) << why;
  EXPECT_NE(why.find("sch_netem"), std::string::npos) << why;
  EXPECT_NE(inj.Check(Fault("fault: latency\ndelay: 100ms\ndirection: in")).find("delays only all outgoing traffic"),
            std::string::npos);
}

TEST_F(FaultKindsTest, LatencyKeysAreCheckedAtTheirLine) {
  auto error = [&](const std::string& extra) {
    auto s = ParseScenario("name: t\nsteps:\n  - fault: latency\n    target: primary\n    delay: 100ms\n" + extra +
                               "expect:\n  lost_writes: 0\n",
                           "t.yaml", PGHA_SOURCE_DIR "/fixtures");
    return s.ok() ? std::string() : s.status().message();
  };
  EXPECT_EQ(error(""), "");
  EXPECT_NE(error("    distribution: normal\n").find("t.yaml:6:19: a distribution shapes the jitter"),
            std::string::npos);
  EXPECT_NE(error("    jitter: 5ms\n    distribution: zipf\n").find("distribution is uniform, normal or pareto"),
            std::string::npos);
  EXPECT_NE(error("    direction: sideways\n").find("direction is out"), std::string::npos);
  EXPECT_NE(error("    reorder: 120%\n").find("reorder must be a percentage"), std::string::npos);
  EXPECT_NE(error("    peer: nowhere\n").find("unknown target \"nowhere\""), std::string::npos);
}

TEST_F(FaultKindsTest, OneWayDropsTrafficToItsPeerOnly) {
  auto inj = Injector();
  ResolvedFault f = Fault("fault: one_way\nto: node2");
  f.peers = {"node2"};
  auto done = inj.Inject(f);
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(done->rfind("dropping traffic from node1 to node2; ", 0), 0u) << *done;
  ASSERT_EQ(provider_.rules.size(), 1u);
  EXPECT_EQ(provider_.rules[0].block.direction, TrafficBlock::Direction::kOut);
  EXPECT_EQ(provider_.rules[0].block.peer, "10.77.0.11");
  EXPECT_LT(provider_.rules[0].block.queue, 0) << "dropped, not queued";
  ASSERT_TRUE(inj.HealAll().ok());
  EXPECT_TRUE(provider_.rules.empty());
}

TEST_F(FaultKindsTest, BandwidthIsPacedByTheEngineOrATokenBucketWhereTheHostHasNoEngine) {
  provider_.local_programs = true;
  auto inj = Injector();
  ResolvedFault paced = Fault("fault: bandwidth\nrate: 64kbit\ndirection: in\npeer: node2");
  paced.peers = {"node2"};
  auto done = inj.Inject(paced);
  ASSERT_TRUE(done.ok()) << done.status().message();
  ASSERT_EQ(provider_.started.size(), 1u);
  const auto& argv = provider_.started[0].argv;
  EXPECT_NE(std::find(argv.begin(), argv.end(), "64000"), argv.end()) << "--rate-bps 64000";
  ASSERT_EQ(provider_.rules.size(), 1u);
  EXPECT_EQ(provider_.rules[0].block.direction, TrafficBlock::Direction::kIn);
  EXPECT_EQ(provider_.rules[0].block.peer, "10.77.0.11");
  ASSERT_TRUE(inj.HealAll().ok());
  provider_.local_programs = false;
  EXPECT_NE(inj.Check(paced).find("limits only all outgoing traffic"), std::string::npos);
  ResolvedFault bucket = Fault("fault: bandwidth\nrate: 1mbit", "g");
  EXPECT_EQ(inj.Check(bucket), "");
  ASSERT_TRUE(inj.Inject(bucket).ok());
  ASSERT_EQ(provider_.shapes.size(), 1u);
  EXPECT_EQ(provider_.shapes.begin()->second.second.qdisc, "tbf");
  ASSERT_TRUE(inj.HealAll().ok());
  EXPECT_TRUE(provider_.shapes.empty());
  EXPECT_FALSE(ParseScenario("name: t\nsteps:\n  - fault: bandwidth\n    target: node1\n    rate: fast\n", "t.yaml",
                             PGHA_SOURCE_DIR "/fixtures")
                   .ok());
}

TEST_F(FaultKindsTest, ACutIsMeasuredAndACutThatLetsTrafficThroughIsAnError) {
  provider_.local_programs = true;
  const std::string probe = "node1: " + ThisProgram() + " tcp-probe --address 10.77.0.11";
  provider_.exec_answers[probe] = "timeout\ntimeout\ntimeout\ntimeout\ntimeout\n";
  auto inj = Injector();
  std::vector<FaultEffect> effects;
  auto done = inj.Inject(Fault("fault: isolate"), &effects);
  ASSERT_TRUE(done.ok());
  ASSERT_EQ(effects.size(), 1u) << *done;
  EXPECT_EQ(effects[0].quantity, "reachable_percent");
  EXPECT_EQ(effects[0].path, "node1 -> node2:2379");
  EXPECT_DOUBLE_EQ(effects[0].p50, 0);
  EXPECT_TRUE(effects[0].within());
  ASSERT_TRUE(inj.HealAll().ok());
  provider_.exec_answers[probe] = "0.2\n0.3\ntimeout\ntimeout\ntimeout\n";  // two connects got through
  effects.clear();
  ASSERT_TRUE(inj.Inject(Fault("fault: isolate", "g"), &effects).ok());
  ASSERT_EQ(effects.size(), 1u);
  EXPECT_DOUBLE_EQ(effects[0].p50, 40);
  EXPECT_FALSE(effects[0].within()) << "a cut that lets 40 % through did not cut";
}

// A plan of n hosts that all run etcd and Patroni, and a load balancer.
ClusterPlan Electors(int n) {
  ClusterPlan plan;
  for (int i = 1; i <= n; ++i) {
    HostPlan h;
    h.name = "n" + std::to_string(i);
    h.address = "10.0.0." + std::to_string(i);
    h.services = {{"etcd", {}}, {"patroni", {}}};
    plan.hosts.push_back(h);
  }
  HostPlan lb;
  lb.name = "lb";
  lb.services = {{"haproxy", {}}};
  plan.hosts.push_back(lb);
  return plan;
}

Result<ResolvedFault> Shape(const ClusterPlan& plan, const std::string& shape, const std::string& target) {
  Topology t;
  t.name = "t";
  for (const auto& h : plan.hosts) {
    HostSpec spec;
    spec.name = h.name;
    spec.services = h.services;
    t.hosts.push_back(spec);
  }
  std::string yaml = "fault: partition\nshape: " + shape;
  if (!target.empty()) yaml += "\ntarget: " + target;
  const FaultSpec spec = ReadFaultSpec(t, yaml);
  ResolvedFault f;
  auto resolve = [](const TargetSpec& s) -> Result<std::vector<std::string>> {
    return std::vector<std::string>{s.host};
  };
  Status s = FindFaultType("partition")->Resolve(resolve, plan, spec, &f);
  if (!s.ok()) return s;
  return f;
}

TEST(PartitionShapes, BridgeRingMajorityAndMinority) {
  const ClusterPlan five = Electors(5);
  auto bridge = Shape(five, "bridge", "n3");
  ASSERT_TRUE(bridge.ok()) << bridge.status().message();
  EXPECT_EQ(bridge->groups, (std::vector<std::vector<std::string>>{{"n4", "n5"}, {"n1", "n2"}}));
  EXPECT_EQ(bridge->hosts, (std::vector<std::string>{"n3"})) << "the bridge is on no side";
  auto majority = Shape(five, "majority", "n2");
  ASSERT_TRUE(majority.ok());
  EXPECT_EQ(majority->groups, (std::vector<std::vector<std::string>>{{"n2", "n3", "n4"}, {"n5", "n1"}}));
  auto minority = Shape(five, "minority", "n2");
  ASSERT_TRUE(minority.ok());
  EXPECT_EQ(minority->groups, (std::vector<std::vector<std::string>>{{"n2", "n3"}, {"n4", "n5", "n1"}}));
  auto ring = Shape(five, "ring", "");
  ASSERT_TRUE(ring.ok());
  // Each host keeps its two neighbours: of the 10 pairs, the 5 that are not neighbours are cut.
  EXPECT_EQ(ring->groups, (std::vector<std::vector<std::string>>{
                              {"n1", "n3"}, {"n1", "n4"}, {"n2", "n4"}, {"n2", "n5"}, {"n3", "n5"}}));
  auto small = Shape(Electors(3), "ring", "");
  EXPECT_NE(small.status().message().find("a ring needs at least 4 hosts"), std::string::npos);
  auto outside = Shape(five, "bridge", "lb");
  EXPECT_NE(outside.status().message().find("lb runs neither etcd nor Patroni"), std::string::npos);
}

TEST_F(FaultKindsTest, ARingCutsItsPairsBothWaysOnBothHosts) {
  FakeProvider provider;
  ClusterPlan plan = Electors(4);
  auto inj = FaultInjector(RecordingFaultEnv(plan, provider, *manifest_, http_, clock_, &restarted_, &notes_));
  auto ring = Shape(plan, "ring", "");
  ASSERT_TRUE(ring.ok());
  auto done = inj.Inject(*ring);
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(done->rfind("ring: cut [n1,n3] [n2,n4]; ", 0), 0u) << *done;
  EXPECT_EQ(provider.rules.size(), 8u);
  ASSERT_TRUE(inj.HealAll().ok());
  EXPECT_TRUE(provider.rules.empty());
}

TEST(ClusterView, EveryTargetKindResolvesFromOneView) {
  ClusterPlan plan = Electors(3);
  plan.hosts[2].services.push_back({"keepalived", {}});
  ClusterView view;
  auto member = [](const std::string& name, const std::string& role, const std::string& state) {
    PatroniMember m;
    m.name = name;
    m.role = role;
    m.state = state;
    return m;
  };
  view.members = std::vector<PatroniMember>{member("n1", "replica", "streaming"), member("n2", "leader", "running"),
                                            member("n3", "sync_standby", "streaming")};
  view.leader = "n2";
  view.etcd_leader = "n3";
  view.vip_holders = std::vector<std::string>{"n3"};
  std::mt19937_64 rng(1);
  auto hosts = [&](TargetKind k) {
    TargetSpec t;
    t.kind = k;
    t.host = "n1";
    auto r = TargetHosts(t, plan, view, rng);
    return r.ok() ? Join(*r) : "error: " + r.status().message();
  };
  EXPECT_EQ(hosts(TargetKind::kPrimary), "n2");
  EXPECT_EQ(hosts(TargetKind::kSyncStandby), "n3");
  EXPECT_EQ(hosts(TargetKind::kReplicas), "n1, n3");
  EXPECT_EQ(hosts(TargetKind::kAll), "n1, n2, n3");
  EXPECT_EQ(hosts(TargetKind::kEtcdLeader), "n3");
  EXPECT_EQ(hosts(TargetKind::kVipHolder), "n3");
  EXPECT_EQ(hosts(TargetKind::kHost), "n1");
  const std::string replica = hosts(TargetKind::kReplica);
  EXPECT_TRUE(replica == "n1" || replica == "n3") << replica;
  view.members.reset();
  view.etcd_leader.reset();
  EXPECT_EQ(hosts(TargetKind::kPrimary), "error: no Patroni member answers, so the target cannot be resolved");
  EXPECT_EQ(hosts(TargetKind::kEtcdLeader), "error: no etcd member says it is the leader");
  TargetSpec etcd;
  etcd.kind = TargetKind::kEtcdLeader;
  EXPECT_EQ(GuessTargetHosts(etcd, plan), (std::vector<std::string>{"n1"})) << "what a dry run says it guessed";
}

}  // namespace
}  // namespace pgha
