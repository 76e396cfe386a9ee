// The emulated watchdog's rules (Linux's, as Patroni's testing driver
// writes them to the pipe) and its loop, with a scripted pipe and a fake
// clock: fenced once when keepalives stop, never after a clean close.
#include <gtest/gtest.h>

#include <deque>

#include "fakes/fakes.h"
#include "watchdog/emulated_watchdog.h"

namespace pgha {
namespace {
using namespace std::chrono_literals;

TEST(WatchdogTimer, ArmsOnTheFirstWriteTakesTheTimeoutAndRunsOutWithoutKeepalives) {
  WatchdogTimer t;
  const TimePoint t0{};
  EXPECT_FALSE(t.Expired(t0 + 1h)) << "not armed before anything is written";
  t.Feed("Ctimeout=2\n", t0);
  EXPECT_TRUE(t.armed());
  EXPECT_EQ(t.timeout(), 2s);
  t.Feed("1", t0 + 1500ms);
  EXPECT_FALSE(t.Expired(t0 + 3s)) << "the keepalive at 1.5 s holds it until 3.5 s";
  EXPECT_TRUE(t.Expired(t0 + 3500ms));
  EXPECT_FALSE(t.armed()) << "one fence per arming";
  EXPECT_FALSE(t.Expired(t0 + 10s));
}

TEST(WatchdogTimer, AMagicCloseDisarmsAndAPlainCloseDoesNot) {
  WatchdogTimer clean;
  clean.Feed("Ctimeout=2\n1V", TimePoint{});
  clean.Closed();
  EXPECT_FALSE(clean.Expired(TimePoint{} + 1h)) << "Patroni demoted itself and closed the device properly";
  WatchdogTimer crashed;
  crashed.Feed("Ctimeout=2\n1", TimePoint{});
  crashed.Closed();
  EXPECT_TRUE(crashed.Expired(TimePoint{} + 2s)) << "a Patroni that died without \"V\" still gets its host reset";
  WatchdogTimer split;
  split.Feed("Ctime", TimePoint{});
  split.Feed("out=7\n", TimePoint{});
  EXPECT_EQ(split.timeout(), 7s) << "a command split across reads";
}

class ScriptedIo : public WatchdogIo {
 public:
  std::deque<std::optional<std::string>> reads;  // one per tick; empty: nothing written
  std::vector<std::string> log, marks;
  int fences = 0;
  std::optional<std::string> Read() override {
    if (reads.empty()) return std::string();
    auto r = reads.front();
    reads.pop_front();
    return r;
  }
  Result<int> Fence() override {
    ++fences;
    return 7;
  }
  void Log(const std::string& line) override { log.push_back(line); }
  void MarkFenced(const std::string& what) override { marks.push_back(what); }
};

// Runs the loop until it has read `ticks` times (20 ms of fake time each).
void RunFor(ScriptedIo& io, int ticks) {
  testing::FakeClock clock;
  std::atomic<bool> stop{false};
  struct StopAfter : WatchdogIo {
    ScriptedIo& inner;
    std::atomic<bool>& stop;
    int left;
    StopAfter(ScriptedIo& i, std::atomic<bool>& s, int n) : inner(i), stop(s), left(n) {}
    std::optional<std::string> Read() override {
      if (--left <= 0) stop.store(true);
      return inner.Read();
    }
    Result<int> Fence() override { return inner.Fence(); }
    void Log(const std::string& l) override { inner.Log(l); }
    void MarkFenced(const std::string& w) override { inner.MarkFenced(w); }
  } wrapped(io, stop, ticks);
  RunWatchdog(wrapped, clock, WatchdogOptions{20ms}, stop);
}

TEST(WatchdogLoop, FencesOnceWhenKeepalivesStopAndRecordsIt) {
  ScriptedIo io;
  io.reads = {std::string("Ctimeout=2\n"), std::string("1")};  // then silence: a frozen Patroni
  RunFor(io, 200);                                             // 4 s of ticks
  EXPECT_EQ(io.fences, 1);
  ASSERT_EQ(io.marks.size(), 1u);
  EXPECT_EQ(io.marks[0], "no keepalive for 2s: fenced, 7 processes killed");
}

TEST(WatchdogLoop, KeepalivesEveryLoopAndACleanCloseNeverFence) {
  ScriptedIo io;
  io.reads.push_back(std::string("Ctimeout=2\n"));
  for (int i = 0; i < 150; ++i) io.reads.push_back(i % 50 == 0 ? std::optional<std::string>("1") : std::string());
  io.reads.push_back(std::string("V"));
  io.reads.push_back(std::nullopt);  // closed
  RunFor(io, 400);
  EXPECT_EQ(io.fences, 0);
}

}  // namespace
}  // namespace pgha
