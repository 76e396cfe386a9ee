// The packet engine on real network namespaces (no Patroni: hosts only):
// the latency fault delays a host's outgoing traffic and measures it; an
// engine killed mid-fault leaves traffic flowing (fail-open through
// --queue-bypass); heal removes its rules and ends it; teardown after an
// injected fault, as `cleanup` runs it, leaves no process or rule.
#include <gtest/gtest.h>
#include <signal.h>

#include "app/system.h"
#include "cluster/workdir.h"
#include "core/files.h"
#include "fakes/fault_spec.h"
#include "faults/fault_injector.h"
#include "faults/path_probe.h"
#include "integration/cli_helpers.h"
#include "integration/hosts_only.h"
#include "scenario/topology_loader.h"

namespace pgha::itest {
namespace {

class PacketEngineTest : public HostsOnlyTest {
 protected:
  PacketEngineTest() : HostsOnlyTest(kWorkdir + "/packet-engine", "pe") {}
  // Round trips from node1 to node2 (a closed port answers with a reset: a round trip all the same).
  double P50FromNode1() {
    FaultEnv env = Env();
    auto s = ProbePath(env, plan_.hosts[0], plan_.hosts[1].address, 9, 10, std::chrono::seconds(3));
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? s->Percentile(50) : -1;
  }
  std::string Rules(const HostPlan& h) {
    auto r = provider_->Shell().Exec(h, {"iptables", "-S", "OUTPUT"}, std::chrono::seconds(10));
    return r.ok() ? r->out : "";
  }
};

TEST_F(PacketEngineTest, DelaysMeasuresFailsOpenWhenKilledAndLeavesNothing) {
  FaultInjector faults(Env());
  EXPECT_LT(P50FromNode1(), 20) << "the path before any fault";
  std::vector<FaultEffect> effects;
  auto done =
      faults.Inject(testing::OnHosts(testing::ReadFaultSpec(topology_, "fault: latency\ndelay: 100ms")), &effects);
  ASSERT_TRUE(done.ok()) << done.status().message();
  ASSERT_EQ(effects.size(), 1u) << *done;
  EXPECT_TRUE(effects[0].within()) << *done;
  EXPECT_NEAR(P50FromNode1(), 100, 20);
  EXPECT_NE(Rules(plan_.hosts[0]).find("NFQUEUE"), std::string::npos);

  // Killed mid-fault: its rules stay, and traffic flows past them undelayed.
  const auto pids = LiveDaemonPids(*manifest_, "packet-engine@node1:f", provider_->Shell(), plan_.hosts[0]);
  ASSERT_EQ(pids.size(), 1u);
  ASSERT_TRUE(provider_->Shell().Signal(plan_.hosts[0], pids[0], SIGKILL));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_NE(Rules(plan_.hosts[0]).find("NFQUEUE"), std::string::npos);
  EXPECT_LT(P50FromNode1(), 20) << "fail-open: no reader on the queue, the packets pass";
  ASSERT_TRUE(faults.HealAll().ok());
  EXPECT_EQ(Rules(plan_.hosts[0]).find("NFQUEUE"), std::string::npos);

  // Duplicates leave through the engine's raw socket, marked so that its own rules let them pass.
  auto dup = faults.Inject(
      testing::OnHosts(testing::ReadFaultSpec(topology_, "fault: latency\ndelay: 10ms\nduplicate: 100%", "d")));
  ASSERT_TRUE(dup.ok()) << dup.status().message();
  EXPECT_LT(P50FromNode1(), 40) << "a duplicated packet does not loop through the queue";
  ASSERT_TRUE(faults.HealAll().ok());
  auto log = provider_->Files().ReadFile(plan_.hosts[0], plan_.hosts[0].dir + "/packet-engine-d.log");
  ASSERT_TRUE(log.ok());
  const auto at = log->find(" delayed, ");
  ASSERT_NE(at, std::string::npos) << *log;
  EXPECT_EQ(log->find(" 0 duplicated"), std::string::npos) << *log;

  // Injected again and never healed: teardown, as `cleanup` runs it, removes everything.
  auto again = faults.Inject(testing::OnHosts(testing::ReadFaultSpec(topology_, "fault: latency\ndelay: 50ms", "g")));
  ASSERT_TRUE(again.ok()) << again.status().message();
  ExpectTeardownLeavesNothing();
}

}  // namespace
}  // namespace pgha::itest
