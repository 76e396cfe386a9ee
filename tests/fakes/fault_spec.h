// Test helper: a fault step read from YAML by the real step reader, so a
// test states a fault as a scenario would ("fault: kill\nprocesses: [patroni]").
#pragma once

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <set>
#include <string>

#include "faults/fault_injector.h"
#include "scenario/step_reader.h"

namespace pgha::testing {

// Fails the test when the step does not read; `yaml` without `target:` gets "target: node1" where the kind wants one.
inline FaultSpec ReadFaultSpec(const Topology& t, const std::string& yaml, const std::string& id = "f") {
  Diagnostics diags;
  StepReader reader(t, "test.yaml", &diags);
  std::set<std::string> ids;
  std::string text = yaml;
  if (text.find("target:") == std::string::npos && text.find("groups:") == std::string::npos &&
      text.find("shape: ring") == std::string::npos)
    text += "\ntarget: node1";
  text += "\nid: " + id;
  Step step = reader.Read(YAML::Load(text), 0, &ids);
  EXPECT_TRUE(diags.empty()) << diags.ToStatus().message();
  return step.fault;
}

inline ResolvedFault OnHosts(FaultSpec spec, std::vector<std::string> hosts = {"node1"}) {
  ResolvedFault f;
  f.spec = std::move(spec);
  f.hosts = std::move(hosts);
  return f;
}

}  // namespace pgha::testing
