// Reading one step of a scenario's `steps:` list (wait, hold, fault, heal,
// switchover, failover, restart, reinitialize, and the planned operations
// of operations/registry.h) strictly, with file:line:col errors. Part of the scenario loader (scenario.cc); not
// thread-safe.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "core/yaml_reader.h"
#include "model/topology.h"
#include "scenario/scenario.h"

namespace pgha {

class StepReader {
 public:
  // With `incompatible`, what the topology lacks (a host, a role, a VIP) is
  // recorded there instead of being an error: the scenario runs on another
  // topology than its own and is skipped there.
  StepReader(const Topology& t, std::string file, Diagnostics* d, std::vector<std::string>* incompatible = nullptr)
      : topology_(t), file_(std::move(file)), diags_(d), incompatible_(incompatible) {}
  // Errors go to the diagnostics; the step is returned as far as it was read.
  Step Read(const YAML::Node& node, int index, std::set<std::string>* fault_ids);

 private:
  // Which multi-host targets a place accepts.
  enum Multi { kSingle = 0, kAllowAll = 1, kAllowReplicas = 2, kAllowBoth = 3 };
  bool Target(const YAML::Node& n, YamlMap& m, TargetSpec* out, int multi = kAllowBoth);
  void Fault(const YAML::Node& kind_node, YamlMap& m, Step* step);
  void Operation(const YAML::Node& value, YamlMap& m, Step* step);
  // `restart: node1`, or `restart: {target: all, pending_restart: true}`.
  void Restart(const YAML::Node& value, YamlMap& m, Step* step);
  void Action(const YAML::Node& action, YamlMap& m, int index, std::set<std::string>* fault_ids, const YAML::Node& node,
              Step* step);

  // An error, or with another topology a reason the scenario cannot run there.
  void Lacks(YamlMap& m, const YAML::Node& at, const std::string& what);

  const Topology& topology_;
  std::string file_;
  Diagnostics* diags_;
  std::vector<std::string>* incompatible_;
};

}  // namespace pgha
