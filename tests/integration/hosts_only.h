// HostsOnlyTest: real network namespaces on this machine (the compact
// topology's hosts, no service started), a manifest, and a FaultEnv over
// them, for faults and their helpers tested without a cluster. Teardown
// runs from the manifest, as `cleanup` does; the machine must be clean
// before and is cleaned after.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "app/system.h"
#include "cluster/workdir.h"
#include "core/files.h"
#include "faults/fault_injector.h"
#include "integration/cli_helpers.h"
#include "scenario/topology_loader.h"

namespace pgha::itest {

class HostsOnlyTest : public CleanMachineTest {
 protected:
  HostsOnlyTest(const std::string& out, std::string run_prefix)
      : CleanMachineTest(out), run_prefix_(std::move(run_prefix)) {}
  void SetUp() override {
    CleanMachineTest::SetUp();
    if (IsSkipped()) return;
    topology_ = LoadTopology(PGHA_SOURCE_DIR "/fixtures/topologies/compact.yaml")->topology;
    topology_.subnet = kSubnet;
    Shape(topology_);
    sys_.provider_options.helper = PGHA_BINARY;
    auto provider = sys_.MakeProvider("netns");
    ASSERT_TRUE(provider.ok());
    provider_ = std::move(*provider);
    plan_ = *MakePlan(topology_, run_prefix_ + RandomHex(3), kWorkdir, "netns");
    ASSERT_TRUE(provider_->Place(&plan_).ok());
    auto m = Manifest::Create(ManifestPath(kWorkdir, plan_.run_id), plan_.run_id, "netns");
    ASSERT_TRUE(m.ok()) << m.status().message();
    manifest_ = std::move(*m);
    Status made = provider_->CreateHosts(plan_, *manifest_);
    ASSERT_TRUE(made.ok()) << made.message();
  }
  // Changes the topology before its hosts are made (a data volume, the durable file system).
  virtual void Shape(Topology&) {}
  void TearDown() override {
    if (manifest_) provider_->Teardown(*manifest_, {kWorkdir, std::chrono::seconds(5)});
    if (!plan_.run_id.empty()) std::filesystem::remove(ManifestPath(kWorkdir, plan_.run_id));
    CleanMachineTest::TearDown();
  }
  // Teardown from the manifest, as `cleanup` runs it after a SIGKILL: nothing of ours is left.
  void ExpectTeardownLeavesNothing() {
    const auto report = provider_->Teardown(*manifest_, {kWorkdir, std::chrono::seconds(5)});
    EXPECT_TRUE(report.ok()) << (report.errors.empty() ? "" : report.errors[0]);
    manifest_.reset();
    EXPECT_EQ(Join(Leftovers()), "");
  }
  FaultEnv Env() {
    return FaultEnv{plan_,     *provider_, *manifest_,
                    sys_.http, sys_.clock, [](const HostPlan&, const std::string&) { return Status::Ok(); },
                    nullptr,   false,      PGHA_BINARY};
  }

  std::string run_prefix_;
  RealSystem sys_;
  Topology topology_;
  std::unique_ptr<Provider> provider_;
  ClusterPlan plan_;
  std::unique_ptr<Manifest> manifest_;
};

}  // namespace pgha::itest
