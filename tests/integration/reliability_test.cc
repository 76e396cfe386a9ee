// The harness under conditions it does not control, on the real cluster:
// a cluster that stops answering mid-run (every daemon frozen, etcd gone,
// HAProxy gone) ends the run within run_timeout + 30 s with exit 3 and a
// message naming what did not answer; a full results folder is refused
// before anything starts, and one that fills up mid-run still gets the
// cluster torn down; the run's generated secrets appear in nothing it
// writes or prints, nor on any command line while it runs.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "cli_helpers.h"
#include "cluster/workdir.h"

namespace pgha {
namespace {
using namespace itest;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

const std::string kReliabilityOut = "/tmp/pgha-itest-reliability";

// The pids of every process in the test's run's namespaces (ip netns pids), with their command names.
std::vector<std::pair<int, std::string>> ClusterProcesses() {
  std::vector<std::pair<int, std::string>> found;
  BoostProcessRunner runner;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/run/netns", ec)) {
    const std::string ns = e.path().filename().string();
    if (ns.rfind("pgc", 0) != 0) continue;
    // Only the test's own cluster (a run of kWorkdir's manifests): never one someone has up beside it.
    const std::vector<std::string> own = RunsOf(kWorkdir);
    if (std::none_of(own.begin(), own.end(), [&](const std::string& id) { return ns.find(id) != std::string::npos; }))
      continue;
    auto r = runner.Run(CommandSpec::Of({"ip", "netns", "pids", ns}, std::chrono::seconds(10)));
    if (!r.ok()) continue;
    std::istringstream pids(r->out);
    for (int pid; pids >> pid;) {
      std::string comm = ReadAll("/proc/" + std::to_string(pid) + "/comm");
      if (!comm.empty() && comm.back() == '\n') comm.pop_back();
      found.emplace_back(pid, comm);
    }
  }
  return found;
}

// A scenario whose steps end well inside run_timeout: what ends the run
// late, if anything, is the cluster not answering afterwards.
std::string WriteHoldScenario(const std::string& name, const std::string& run_timeout, const std::string& hold) {
  const std::string path = "/tmp/pgha-itest-" + name + ".yaml";
  std::ofstream(path) << "name: " << name << "\n"
                      << "description: steady writes while the test breaks the cluster from outside\n"
                      << "topology: compact\nrun_timeout: " << run_timeout << "\n"
                      << "workload:\n  writers: 2\n  rate: 50/s\n"
                      << "steps:\n  - wait: healthy\n    timeout: 30s\n  - hold: " << hold << "\n"
                      << "expect:\n  lost_writes: 0\n";
  return path;
}

class ReliabilityTest : public CleanMachineTest {
 protected:
  ReliabilityTest() : CleanMachineTest(kReliabilityOut) {}
};

struct Breakage {
  std::string name;
  int signal;
  std::set<std::string> commands;  // empty: every process of the cluster
  std::string named;               // what the message must name
};

TEST_F(ReliabilityTest, AFrozenOrDeadClusterEndsTheRunInTimeWithExit3NamingWhatDidNotAnswer) {
  // run_timeout 25s: the hold's 10 s and the breaking fit inside it well.
  const std::string scenario = WriteHoldScenario("frozen-cluster", "25s", "10s");
  const std::vector<Breakage> cases = {
      {"frozen", SIGSTOP, {}, "timed out"},
      {"etcd-gone", SIGKILL, {"etcd"}, "etcd members to report healthy"},
      {"haproxy-gone", SIGKILL, {"haproxy"}, "(haproxy on lb): cannot connect"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string log = "/tmp/pgha-itest-" + c.name + ".log";
    const auto start = Clock::now();
    pid_t pid =
        CliInBackground({"run", scenario, "--output", kReliabilityOut, "--subnet", kSubnet, "--seed", "3"}, log);
    ASSERT_TRUE(WaitForLine(log, "step 2/2: hold", std::chrono::seconds(60))) << ReadAll(log);
    int hit = 0;
    for (const auto& [p, comm] : ClusterProcesses())
      if (c.commands.empty() || c.commands.count(comm)) hit += kill(p, c.signal) == 0 ? 1 : 0;
    EXPECT_GT(hit, 0) << "no process of the cluster to break";
    auto code = WaitChild(pid, std::chrono::seconds(25 + 30 + 10));
    const double took = std::chrono::duration<double>(Clock::now() - start).count();
    if (!code) {
      kill(pid, SIGKILL);
      WaitChild(pid, std::chrono::seconds(10));
      Cli({"cleanup"});
    }
    ASSERT_TRUE(code.has_value()) << "the run did not end within run_timeout + 40 s\n" << ReadAll(log);
    const std::string out = ReadAll(log);
    EXPECT_EQ(*code, 3) << out;
    EXPECT_LT(took, 25 + 30) << "run_timeout 25s: the run must end within 55 s\n" << out;
    // The verdict's error line names what did not answer.
    const size_t error_at = out.find("\n  error: the cluster did not answer at the end of the run");
    ASSERT_NE(error_at, std::string::npos) << out;
    const std::string error = out.substr(error_at, out.find("\n  TARGET", error_at) - error_at);
    EXPECT_NE(error.find(c.named), std::string::npos) << error;
    EXPECT_NE(error.find("the read-write endpoint 10.213.7.13:5000 (haproxy on lb): "), std::string::npos) << error;
    EXPECT_EQ(itest::Join(Leftovers()), "");
    EXPECT_TRUE(ListManifestRuns(kWorkdir).empty());
    fs::remove_all(kReliabilityOut);
  }
}

// A small tmpfs of the test's own, mounted and unmounted by it.
class SmallFilesystem {
 public:
  explicit SmallFilesystem(const std::string& dir) : dir_(dir) {
    fs::create_directories(dir_);
    mounted_ = mount("tmpfs", dir_.c_str(), "tmpfs", 0, "size=4m") == 0;
  }
  ~SmallFilesystem() {
    if (mounted_) umount2(dir_.c_str(), MNT_DETACH);
    std::error_code ec;
    fs::remove(dir_, ec);
  }
  bool mounted() const { return mounted_; }
  // Writes until the filesystem refuses; leaves `keep` bytes free.
  void Fill(size_t keep = 0) const {
    std::ofstream f(dir_ + "/filler", std::ios::binary | std::ios::app);
    const std::string block(4096, 'x');
    for (int i = 0; i < 4096 && f; ++i) {
      if (keep > 0 && fs::space(dir_).available <= keep) break;
      f.write(block.data(), block.size());
      f.flush();
    }
  }

 private:
  std::string dir_;
  bool mounted_ = false;
};

TEST_F(ReliabilityTest, AFullResultsFolderIsRefusedFirstAndOneFillingUpMidRunStillGetsTheClusterTornDown) {
  SmallFilesystem small("/tmp/pgha-itest-small-fs");
  ASSERT_TRUE(small.mounted());
  small.Fill();
  const std::string scenario = WriteHoldScenario("full-output", "2m", "8s");
  auto refused = Cli({"run", scenario, "--output", "/tmp/pgha-itest-small-fs/out", "--subnet", kSubnet});
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_NE(refused.err.find("--output: cannot write 1 MiB into /tmp/pgha-itest-small-fs/out"), std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("No space left on device"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.err.find("bring-up"), std::string::npos) << "nothing started";
  EXPECT_EQ(itest::Join(Leftovers()), "");
  fs::remove("/tmp/pgha-itest-small-fs/filler");

  // Room for the probe, then full while the cluster runs.
  const std::string log = "/tmp/pgha-itest-full-output.log";
  pid_t pid = CliInBackground({"run", scenario, "--output", "/tmp/pgha-itest-small-fs/out", "--subnet", kSubnet}, log);
  ASSERT_TRUE(WaitForLine(log, "step 2/2: hold", std::chrono::seconds(60))) << ReadAll(log);
  small.Fill();
  auto code = WaitChild(pid, std::chrono::seconds(120));
  ASSERT_TRUE(code.has_value()) << ReadAll(log);
  const std::string out = ReadAll(log);
  EXPECT_EQ(*code, 3) << out;
  EXPECT_NE(out.find("cannot write the results"), std::string::npos) << out;
  EXPECT_NE(out.find("the results above could not all be saved"), std::string::npos) << out;
  EXPECT_NE(out.find("No space left on device"), std::string::npos) << out;
  EXPECT_EQ(itest::Join(Leftovers()), "");
  EXPECT_TRUE(ListManifestRuns(kWorkdir).empty());
}

// Every secret of the run that is `run_dir`: its generated passwords and
// each line of every private key's body.
std::set<std::string> SecretsOf(const fs::path& run_dir) {
  std::set<std::string> secrets;
  auto j = nlohmann::json::parse(ReadAll((run_dir / "secrets.json").string()), nullptr, false);
  if (j.is_object())
    for (const auto& [_, v] : j.items())
      if (v.is_string() && v.get<std::string>().size() >= 8) secrets.insert(v.get<std::string>());
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(run_dir, ec))
    if (e.path().extension() == ".key") {
      std::istringstream pem(ReadAll(e.path().string()));
      for (std::string line; std::getline(pem, line);)
        if (line.size() >= 16 && line.rfind("-----", 0) != 0) secrets.insert(line);
    }
  return secrets;
}

std::vector<std::string> Hits(const std::string& where, const std::string& text, const std::set<std::string>& secrets) {
  std::vector<std::string> hits;
  for (const auto& secret : secrets)
    if (text.find(secret) != std::string::npos) hits.push_back(where + " holds a secret");
  return hits;
}

TEST_F(ReliabilityTest, NoGeneratedSecretIsWrittenPrintedOrOnACommandLine) {
  const std::string log = "/tmp/pgha-itest-secrets.log";
  pid_t pid = CliInBackground({"run", PGHA_SOURCE_DIR "/scenarios/tls-primary-kill.yaml", "--output", kReliabilityOut,
                               "--subnet", kSubnet, "--seed", "5"},
                              log);
  // While it runs: the run's secrets as soon as they exist, and every command line on the machine.
  std::set<std::string> secrets;
  std::set<std::string> command_lines;
  std::optional<int> code;
  for (int i = 0; i < 3000 && !code; ++i) {
    for (const auto& run : ListManifestRuns(kWorkdir)) {
      const fs::path dir = fs::path(kWorkdir) / "runs" / run;
      if (fs::exists(dir / "secrets.json")) secrets.merge(SecretsOf(dir));
    }
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/proc", ec))
      if (e.path().filename().string().find_first_not_of("0123456789") == std::string::npos)
        command_lines.insert(ReadAll((e.path() / "cmdline").string()));
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid)
      code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (!code) code = WaitChild(pid, std::chrono::seconds(120));
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0) << ReadAll(log);
  // Three passwords and the body of every key (the hosts' and the harness's client key).
  ASSERT_GE(secrets.size(), 3u + 4u);
  std::vector<std::string> hits = Hits("the console output", ReadAll(log), secrets);
  for (const auto& cmdline : command_lines)
    for (const auto& h : Hits("the command line " + cmdline.substr(0, 80), cmdline, secrets)) hits.push_back(h);
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(kReliabilityOut))
    if (e.is_regular_file()) {
      ++files;
      for (const auto& h : Hits(e.path().string(), ReadAll(e.path().string()), secrets)) hits.push_back(h);
    }
  EXPECT_GT(files, 10) << "results, history, logs of every host, JUnit and HTML were searched";
  EXPECT_GT(command_lines.size(), 20u);
  EXPECT_EQ(itest::Join(hits), "");
  EXPECT_EQ(itest::Join(Leftovers()), "");
}

}  // namespace
}  // namespace pgha
