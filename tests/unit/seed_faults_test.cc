// Faults on the seeds' parts, against the in-memory provider: keepalived's
// VRRP child is signalled with its parent and the stale VIP is removed
// before it starts again; the VIP holder is found from the hosts'
// interfaces; a whole-host freeze spares the emulated watchdog; a host the
// watchdog fenced reboots when faults are healed.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/files.h"
#include "deploy/deployer.h"
#include "fakes/fake_provider.h"
#include "fakes/fakes.h"
#include "fakes/fault_env.h"
#include "fakes/fault_spec.h"
#include "faults/fault_injector.h"
#include "scenario/topology_loader.h"
#include "services/registry.h"
#include "services/watchdog.h"

namespace pgha {
namespace {
namespace fs = std::filesystem;
using namespace testing;

class SeedFaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pgha-seedfaults-" + RandomHex(4));
    topology_ = LoadTopology(PGHA_SOURCE_DIR "/fixtures/topologies/seed-001-haproxy-vip.yaml")->topology;
    topology_.patroni.watchdog = "emulated";
    plan_ = *MakePlan(topology_, "abc123", dir_.string(), "fake");
    provider_.Place(&plan_);
    manifest_ = std::move(*Manifest::Create((dir_ / "m.json").string(), "abc123", "fake"));
    Record("keepalived@lb1", "lb1", 500);
    provider_.AddProcess("lb1", 501, 500);  // its VRRP child
    Record("haproxy@lb1", "lb1", 600);
    Record("watchdog@pg1", "pg1", 700);
    Record("patroni@pg1", "pg1", 710);
    Record("etcd@pg1", "pg1", 720);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Record(const std::string& label, const std::string& host, int pid) {
    auto id = *manifest_->Record(Resource::Of(kProcessResource, label, "fake-abc123-" + host));
    manifest_->MarkCreated(id, pid, static_cast<uint64_t>(pid));
    provider_.AddProcess(host, pid);
  }
  FaultInjector Injector() {
    return FaultInjector(RecordingFaultEnv(plan_, provider_, *manifest_, http_, clock_, &restarted_, &notes_,
                                           [this](const HostPlan& h, const std::string& kind) {
                                             return RestartService(provider_, plan_, *manifest_, h, kind);
                                           }));
  }
  ResolvedFault Fault(const std::string& yaml, std::string host) {
    return OnHosts(ReadFaultSpec(topology_, yaml + "\ntarget: " + host), {host});
  }
  bool Alive(const std::string& host, int pid) {
    for (const auto& p : provider_.Processes(*plan_.Find(host)))
      if (p.pid == pid) return true;
    return false;
  }

  fs::path dir_;
  Topology topology_;
  ClusterPlan plan_;
  FakeProvider provider_;
  std::unique_ptr<Manifest> manifest_;
  FakeHttpClient http_;
  FakeClock clock_;
  std::vector<std::string> restarted_, notes_;
};

TEST_F(SeedFaultsTest, KillingKeepalivedTakesItsVrrpChildAndHealRemovesTheStaleVipFirst) {
  auto inj = Injector();
  auto done = inj.Inject(Fault("fault: kill\nprocesses: [keepalived, haproxy]", "lb1"));
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_FALSE(Alive("lb1", 500));
  EXPECT_FALSE(Alive("lb1", 501)) << "the VRRP child outlives a SIGKILLed parent unless it is signalled too";
  EXPECT_NE(done->find("SIGKILL keepalived on lb1 (pids 500 501)"), std::string::npos) << *done;
  provider_.commands.clear();
  ASSERT_TRUE(inj.Heal("f").ok());
  EXPECT_EQ(restarted_, (std::vector<std::string>{"keepalived@lb1", "haproxy@lb1"}));
  ASSERT_FALSE(provider_.commands.empty());
  EXPECT_EQ(provider_.commands[0], "lb1: /usr/sbin/ip -4 addr del 10.77.0.110/24 dev eth0")
      << "a SIGKILLed master keeps the VIP on its interface";
  EXPECT_EQ(provider_.Started("keepalived@lb1"), 1);
}

TEST_F(SeedFaultsTest, TheVipHolderIsTheHostWhoseInterfaceCarriesIt) {
  provider_.exec_answers["lb2: /usr/sbin/ip -4 -o addr show dev eth0"] =
      "2: eth0    inet 10.77.0.14/24 scope global eth0\n2: eth0    inet 10.77.0.110/24 scope global secondary eth0\n";
  const Service* keepalived = FindService("keepalived");
  const Secrets secrets;
  FakeSqlClient sql;
  const ProbeContext probe{plan_, secrets, http_, sql, std::chrono::milliseconds(300), &provider_};
  std::vector<ServiceCheck> checks;
  for (const auto* h : plan_.HostsRunning("keepalived")) checks.push_back(keepalived->Probe(probe, *h));
  ASSERT_EQ(checks.size(), 3u);
  EXPECT_FALSE(checks[0].healthy);
  EXPECT_TRUE(checks[1].healthy);
  const HealthPart part = keepalived->Judge(checks, HealthFacts{}, {});
  EXPECT_EQ(part.summary, "VIP on lb2");
  EXPECT_TRUE(part.problems.empty());
  checks[0].healthy = true;  // a resumed old master still has it
  EXPECT_EQ(keepalived->Judge(checks, HealthFacts{}, {}).problems[0], "the VIP on one host only (on lb1, lb2)");
  const ProbeContext blind{plan_, secrets, http_, sql};
  EXPECT_FALSE(keepalived->Probe(blind, plan_.hosts[3]).answered)
      << "without a shell there is no answer, never a guess";
}

TEST_F(SeedFaultsTest, AFrozenHostKeepsItsWatchdogRunningAndAFencedHostRebootsOnHeal) {
  auto inj = Injector();
  auto done = inj.Inject(Fault("fault: pause\nprocesses: [host]", "pg1"));
  ASSERT_TRUE(done.ok());
  EXPECT_NE(done->find("froze host pg1 (pids 710 720)"), std::string::npos)
      << *done << ": the watchdog stands for hardware a frozen OS cannot stop";
  // The watchdog fires: every process of the host dies and the marker says when.
  for (int pid : {710, 720}) provider_.Signal(plan_.hosts[0], pid, SIGKILL);
  provider_.files[{"pg1", WatchdogMarker(plan_.hosts[0])}] = "2026-12-02T07:00:51Z no keepalive for 2s: fenced\n";
  ASSERT_TRUE(inj.Heal("f").ok());
  EXPECT_EQ(restarted_, (std::vector<std::string>{"etcd@pg1", "patroni@pg1"}))
      << "in tier order, the live watchdog left";
  ASSERT_EQ(notes_.size(), 1u);
  EXPECT_NE(notes_[0].find("pg1: 2026-12-02T07:00:51Z no keepalive for 2s: fenced (watchdog); rebooted: started etcd, "
                           "patroni"),
            std::string::npos)
      << notes_[0];
  EXPECT_FALSE(provider_.files.count({"pg1", WatchdogMarker(plan_.hosts[0])})) << "the marker is consumed";
  ASSERT_TRUE(inj.HealAll().ok());
  EXPECT_EQ(notes_.size(), 1u) << "a host reboots once per fence";
}

}  // namespace
}  // namespace pgha
