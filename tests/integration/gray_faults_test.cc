// Slow-node and clock faults on real network namespaces (no cluster:
// hosts and stand-in daemons only, a few seconds):
// - a CPU quota holds a busy loop to its share and is lifted exactly (the
//   process back in its old group, ours gone);
// - a memory limit makes the kernel OOM-kill a process that outgrows it,
//   and the usage says so;
// - a clock jump moves the wall clock of a Python daemon started with the
//   preload (Patroni's REST server stand-in answers with its Date), leaves
//   its monotonic clock and its sleeps alone, and heal sets it right;
// - teardown from the manifest, as `cleanup` runs it after a SIGKILL,
//   leaves no limit group, shared object or process behind;
// - a loop-device volume takes an I/O throttle, which holds a writer's
//   synced writes to about its rate; teardown detaches the device.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <thread>

#include "app/system.h"
#include "cluster/workdir.h"
#include "core/files.h"
#include "core/text.h"
#include "fakes/fault_spec.h"
#include "faults/fault_injector.h"
#include "integration/cli_helpers.h"
#include "integration/hosts_only.h"
#include "providers/host_setup.h"
#include "scenario/topology_loader.h"
#include "services/faked_clock.h"
#include "services/service.h"

namespace pgha::itest {
namespace {

// Patroni's stand-in: Python's http.server answering GET with a Date, and
// each 200 ms its wall and monotonic clocks in its log (after a sleep, which
// the clock shim must keep working).
constexpr const char* kClockDaemon = R"(
import http.server, sys, threading, time
class Api(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b"{}")
    def log_message(self, *args): pass
def tick():
    while True:
        print("%.3f %.3f" % (time.time(), time.monotonic()), flush=True)
        time.sleep(0.2)
threading.Thread(target=tick, daemon=True).start()
http.server.HTTPServer((sys.argv[1], int(sys.argv[2])), Api).serve_forever()
)";

class GrayFaultsTest : public HostsOnlyTest {
 protected:
  GrayFaultsTest() : HostsOnlyTest(kWorkdir + "/gray-faults", "gf") {}
  const HostPlan& node1() const { return plan_.hosts[0]; }
  int Start(const std::string& kind, std::vector<std::string> argv, bool faked_clock = false) {
    DaemonLaunch d = ServiceDaemon(kind, node1(), std::move(argv));
    if (faked_clock) {
      d = WithFakedClock(plan_, node1(), kind, d);
      Status s = PrepareFakedClock(provider_->Files(), plan_, node1(), kind, "", *manifest_);
      EXPECT_TRUE(s.ok()) << s.message();
    }
    Status s = provider_->Shell().StartDaemon(node1(), d, *manifest_);
    EXPECT_TRUE(s.ok()) << s.message();
    auto pids = LiveDaemonPids(*manifest_, kind + "@node1", provider_->Shell(), node1());
    return pids.empty() ? 0 : pids[0];
  }
  std::string GroupOf(int pid, const std::string& controller) {
    for (const auto& line : Split(ReadAll("/proc/" + std::to_string(pid) + "/cgroup"), '\n'))
      if (line.find(":" + controller + ":") != std::string::npos) return line.substr(line.rfind(':') + 1);
    return "?";
  }
  // The daemon's last logged wall clock less ours, and its monotonic clock.
  std::pair<double, double> ClockOfDaemon() {
    const auto lines = Split(Trim(ReadAll(DaemonLogPath(node1(), "patroni"))), '\n');
    const auto words = Split(lines.empty() ? "" : lines.back(), ' ');
    if (words.size() != 2) return {1e9, 0};
    const double now = ToSeconds(std::chrono::system_clock::now().time_since_epoch());
    return {std::stod(words[0]) - now, std::stod(words[1])};
  }
};

TEST_F(GrayFaultsTest, ACpuQuotaHoldsItsShareAndIsLiftedExactly) {
  const int pid = Start("busy", {"/bin/sh", "-c", "while :; do :; done"});
  ASSERT_GT(pid, 0);
  const std::string before = GroupOf(pid, "cpu");
  auto id = provider_->Resources().Limit(node1(), {pid}, {0.10, 0}, "quota", *manifest_);
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_NE(GroupOf(pid, "cpu").find("pgha-limit-"), std::string::npos);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  auto usage = provider_->Resources().Usage(*id, *manifest_);
  ASSERT_TRUE(usage.ok()) << usage.status().message();
  EXPECT_LT(usage->cpu_seconds, 0.35) << "10 % of a core for 2 s is 0.2 s";
  EXPECT_GT(usage->cpu_seconds, 0.05);
  EXPECT_GT(usage->throttled_periods, usage->periods / 2) << "a busy loop meets its quota nearly every period";
  ASSERT_TRUE(provider_->Resources().Unlimit(*id, *manifest_).ok());
  EXPECT_EQ(GroupOf(pid, "cpu"), before) << "back where it was";
  EXPECT_EQ(Join(Leftovers()).find("pgha-limit-"), std::string::npos);
}

TEST_F(GrayFaultsTest, AMemoryLimitEndsInAnOomKillThatTheUsageReports) {
  const int pid = Start("hog", {"/bin/sh", "-c",
                                "sleep 1; exec python3 -c 'x = bytearray(256 << 20); import time; "
                                "time.sleep(30)'"});
  ASSERT_GT(pid, 0);
  auto id = provider_->Resources().Limit(node1(), {pid}, {0, 32u << 20}, "memory", *manifest_);
  ASSERT_TRUE(id.ok()) << id.status().message();
  LimitUsage u;
  for (int i = 0; i < 100 && u.oom_kills == 0; ++i) {  // 10 s at most
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto read = provider_->Resources().Usage(*id, *manifest_);
    if (read.ok()) u = *read;
  }
  EXPECT_GE(u.oom_kills, 1) << "a 256 MiB allocation under 32 MiB";
  EXPECT_GT(u.memory_limit_hits, 0);
  ASSERT_TRUE(provider_->Resources().Unlimit(*id, *manifest_).ok());
}

TEST_F(GrayFaultsTest, AnIoThrottleOnALoopVolumeHoldsSyncedWritesToItsRate) {
  HostPlan host = node1();
  host.data_volume = 256ull << 20;
  host.data_device = "loop";
  ASSERT_TRUE(MountDataVolume(sys_.runner, host, *manifest_).ok());
  const std::string volume = DataVolumeDir(host);
  EXPECT_NE(ReadAll("/proc/mounts").find(volume + " ext4"), std::string::npos) << "ext4 on a loop device";
  EXPECT_NE(provider_->Resources().WhyNoLimit(node1(), {0, 0, 1, 0, "/dev/shm"}).find("no block device"),
            std::string::npos)
      << "a tmpfs cannot be throttled, and says so";
  const int pid = Start("writer", {"/bin/sh", "-c",
                                   "exec dd if=/dev/zero of=" + volume +
                                       "/ballast bs=4k count=100000 oflag=dsync "
                                       "status=none"});
  ASSERT_GT(pid, 0);
  ResourceLimit limit;
  limit.io_bytes_per_s = 256 << 10;
  limit.io_path = volume;
  ASSERT_EQ(provider_->Resources().WhyNoLimit(node1(), limit), "");
  auto id = provider_->Resources().Limit(node1(), {pid}, limit, "io", *manifest_);
  ASSERT_TRUE(id.ok()) << id.status().message();
  auto before = provider_->Resources().Usage(*id, *manifest_);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  auto after = provider_->Resources().Usage(*id, *manifest_);
  ASSERT_TRUE(before.ok() && after.ok());
  const double rate = static_cast<double>(after->io_bytes - before->io_bytes) / 2;
  EXPECT_GT(rate, 32 << 10) << "the writes go on";
  EXPECT_LT(rate, 512 << 10) << "at about 256 KiB/s, not the disk's speed";
  ASSERT_TRUE(provider_->Resources().Unlimit(*id, *manifest_).ok());
  ExpectTeardownLeavesNothing();  // the mount and the loop device too
}

TEST_F(GrayFaultsTest, AClockJumpMovesTheWallClockOnlyAndTeardownLeavesNothing) {
  if (ClockShimPath().empty()) GTEST_SKIP() << "libpgha-clock-shim.so is not built beside the tests";
  plan_.faked_clocks = {"patroni"};
  ASSERT_TRUE(WriteFileAtomic(node1().dir + "/stand-in.py", kClockDaemon).ok());
  const int port = node1().Port("patroni", "api");
  ASSERT_GT(
      Start("patroni", {"/usr/bin/python3", node1().dir + "/stand-in.py", node1().address, std::to_string(port)}, true),
      0);
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  const auto [offset_before, mono_before] = ClockOfDaemon();
  EXPECT_NEAR(offset_before, 0, 1) << "\"+0\" until a fault: the real time";

  FaultInjector faults(Env());
  std::vector<FaultEffect> effects;
  auto done = faults.Inject(
      testing::OnHosts(testing::ReadFaultSpec(topology_, "fault: clock_jump\nprocesses: [patroni]\noffset: -5m")),
      &effects);
  ASSERT_TRUE(done.ok()) << done.status().message();
  ASSERT_EQ(effects.size(), 1u);
  EXPECT_TRUE(effects[0].within()) << "measured " << effects[0].p50 << " over " << effects[0].samples;
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const auto [offset_during, mono_during] = ClockOfDaemon();
  EXPECT_NEAR(offset_during, -300, 1.5) << "its wall clock";
  EXPECT_GT(mono_during, mono_before) << "its monotonic clock went on, untouched";
  EXPECT_LT(mono_during - mono_before, 10);

  ASSERT_TRUE(faults.HealAll().ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_NEAR(ClockOfDaemon().first, 0, 1) << "set right at heal";

  // Limited and never lifted, then torn down as `cleanup` does after a SIGKILL.
  const auto pids = LiveDaemonPids(*manifest_, "patroni@node1", provider_->Shell(), node1());
  ASSERT_EQ(pids.size(), 1u);
  ASSERT_TRUE(provider_->Resources().Limit(node1(), pids, {0.5, 64u << 20}, "left", *manifest_).ok());
  EXPECT_NE(Join(Leftovers()).find("shared object"), std::string::npos) << "ours, while the run lives";
  ExpectTeardownLeavesNothing();
}

}  // namespace
}  // namespace pgha::itest
