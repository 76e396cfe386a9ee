// Reading one step of a scenario's `steps:` list (wait, hold, fault, heal,
// switchover, failover, restart, reinitialize) strictly, with file:line:col
// errors. Part of the scenario loader (scenario.cc); not thread-safe.
#pragma once

#include <set>
#include <string>

#include "core/yaml_reader.h"
#include "model/topology.h"
#include "scenario/scenario.h"

namespace pgha {

class StepReader {
 public:
  StepReader(const Topology& t, std::string file, Diagnostics* d) : topology_(t), file_(std::move(file)), diags_(d) {}
  // Errors go to the diagnostics; the step is returned as far as it was read.
  Step Read(const YAML::Node& node, int index, std::set<std::string>* fault_ids);

 private:
  // Which multi-host targets a place accepts.
  enum Multi { kSingle = 0, kAllowAll = 1, kAllowReplicas = 2, kAllowBoth = 3 };
  bool Target(const YAML::Node& n, YamlMap& m, TargetSpec* out, int multi = kAllowBoth);
  void Fault(const YAML::Node& kind_node, YamlMap& m, Step* step);
  void Processes(YamlMap& m, const std::string& kind_name, bool needs_processes, FaultSpec* f);
  void Groups(YamlMap& m, const std::string& kind_name, FaultSpec* f);
  void FaultExtras(YamlMap& m, const std::string& kind_name, FaultSpec* f);
  void Action(const YAML::Node& action, YamlMap& m, int index, std::set<std::string>* fault_ids, const YAML::Node& node,
              Step* step);

  const Topology& topology_;
  std::string file_;
  Diagnostics* diags_;
};

}  // namespace pgha
