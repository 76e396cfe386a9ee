// FaultKindFixture: the compact topology's plan on a FakeProvider, a
// recording FaultEnv (restarts, notes and remarks), and faults read from
// YAML as a scenario states them. For tests of one fault kind or several.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/files.h"
#include "fakes/fake_provider.h"
#include "fakes/fakes.h"
#include "fakes/fault_env.h"
#include "fakes/fault_spec.h"
#include "scenario/topology_loader.h"

namespace pgha::testing {

class FaultKindFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("pgha-kinds-" + RandomHex(4));
    topology_ = LoadTopology(PGHA_SOURCE_DIR "/fixtures/topologies/compact.yaml")->topology;
    plan_ = *MakePlan(topology_, "abc123", dir_.string(), "fake");
    provider_.Place(&plan_);
    manifest_ = std::move(*Manifest::Create((dir_ / "m.json").string(), "abc123", "fake"));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  FaultEnv Env() { return RecordingFaultEnv(plan_, provider_, *manifest_, http_, clock_, &restarted_, &notes_); }
  FaultInjector Injector() { return FaultInjector(Env()); }
  ResolvedFault Fault(const std::string& yaml, const std::string& id = "f") {
    return OnHosts(ReadFaultSpec(topology_, yaml, id));
  }

  std::filesystem::path dir_;
  Topology topology_;
  ClusterPlan plan_;
  std::unique_ptr<Manifest> manifest_;
  FakeProvider provider_;
  FakeHttpClient http_;
  FakeClock clock_;
  std::vector<std::string> restarted_, notes_;
};

}  // namespace pgha::testing
