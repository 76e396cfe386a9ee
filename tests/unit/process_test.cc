// BoostProcessRunner: a child keeps no descriptor of ours open past exec
// (with two jobs at once, a daemon that kept another thread's command pipe
// made that command wait out its timeout).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

#include "core/files.h"
#include "core/process.h"

namespace pgha {
namespace {

// A pipe without O_CLOEXEC, as Boost.Process makes them.
struct LeakablePipe {
  int fds[2] = {-1, -1};
  LeakablePipe() { EXPECT_EQ(pipe(fds), 0); }
  ~LeakablePipe() {
    close(fds[0]);
    close(fds[1]);
  }
};

bool Lists(const std::string& listing, int fd) {
  std::istringstream in(listing);
  for (std::string name; in >> name;)
    if (name == std::to_string(fd)) return true;
  return false;
}

TEST(Process, ACommandInheritsOnlyItsStandardStreams) {
  LeakablePipe p;
  BoostProcessRunner runner;
  auto r = runner.Run(CommandSpec::Of({"/bin/ls", "/proc/self/fd"}));
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->Succeeded()) << r->err;
  EXPECT_TRUE(Lists(r->out, 1));
  EXPECT_FALSE(Lists(r->out, p.fds[0])) << r->out;
  EXPECT_FALSE(Lists(r->out, p.fds[1])) << r->out;
}

TEST(Process, ADaemonInheritsOnlyItsLog) {
  LeakablePipe p;
  const std::string dir = std::filesystem::temp_directory_path() / ("pgha-process-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  DaemonSpec spec;
  spec.argv = {"/bin/sh", "-c", "/bin/ls /proc/$$/fd > " + dir + "/fds"};
  spec.log_path = dir + "/log";
  BoostProcessRunner runner;
  auto pid = runner.Spawn(spec);
  ASSERT_TRUE(pid.ok()) << pid.status().message();
  std::string listing;
  for (int i = 0; i < 250 && listing.find('\n') == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto text = ReadTextFile(dir + "/fds");
    if (text.ok()) listing = *text;
  }
  LinuxProcessTable().Reap(*pid);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(Lists(listing, 2)) << listing;
  EXPECT_FALSE(Lists(listing, p.fds[0])) << listing;
  EXPECT_FALSE(Lists(listing, p.fds[1])) << listing;
}

}  // namespace
}  // namespace pgha
