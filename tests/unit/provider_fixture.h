// ProviderTest: the netns provider under the deployer, on fake processes,
// namespaces, HTTP and SQL (a compact topology, run abc123 in a
// temporary workdir), for the tests of bring-up, teardown and restarts.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>

#include "cluster/workdir.h"
#include "core/cancel.h"
#include "core/files.h"
#include "deploy/deployer.h"
#include "fakes/fake_netns.h"
#include "fakes/healthy_cluster.h"
#include "providers/netns_provider.h"
#include "scenario/topology_loader.h"

namespace pgha::testing {

class ProviderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ResetCancelForTest();
    workdir_ = (std::filesystem::temp_directory_path() / ("pgha-provider-" + RandomHex(4))).string();
    topology_ = LoadTopology(PGHA_SOURCE_DIR "/fixtures/topologies/compact.yaml")->topology;
    topology_.up_timeout = std::chrono::seconds(10);
    options_.workdir = workdir_;
    options_.fixtures_dir = PGHA_SOURCE_DIR "/fixtures";
    options_.run_id = "abc123";
    options_.skip_preflight = true;
  }
  void TearDown() override {
    ResetCancelForTest();
    std::filesystem::remove_all(workdir_);
  }
  NetnsDeps Deps() { return {runner_, table_, netns_, clock_}; }
  Result<RunningCluster> Up(HttpClient& http) {
    NetnsProvider provider(Deps(), NetnsOptions{false, ""});
    return Deployer({provider, clock_, http, sql_}).Up(topology_, options_);
  }
  Result<RunningCluster> Up() { return Up(http_); }
  Result<TeardownReport> Down(const std::string& run) {
    NetnsProvider provider(Deps(), NetnsOptions{false, ""});
    return Deployer({provider, clock_, http_, sql_}).Down(workdir_, run);
  }
  void AnswerHealthy() {
    auto plan = MakePlan(topology_, "abc123", workdir_, "netns");
    testing::AnswerHealthy(*plan, "node1", &http_, &sql_);
  }
  // Whether a spawned daemon runs `program` inside namespace `ns`.
  static bool RunsIn(const DaemonSpec& d, const std::string& program, const std::string& ns) {
    return d.argv.size() > 2 && d.argv[0] == "/usr/bin/nsenter" && d.argv[1] == "--net=/run/netns/" + ns &&
           std::find(d.argv.begin(), d.argv.end(), program) != d.argv.end();
  }

  std::string workdir_;
  Topology topology_;
  UpOptions options_;
  FakeProcessTable table_;
  FakeProcessRunner runner_{&table_};
  FakeNetnsTable netns_{&table_};
  FakeClock clock_;
  FakeHttpClient http_;
  FakeSqlClient sql_;
};

}  // namespace pgha::testing
