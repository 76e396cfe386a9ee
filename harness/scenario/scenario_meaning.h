// Scenario logic that loads but cannot mean anything, refused at its
// file:line with what to write instead (issue 18): a run_timeout of 0 or
// shorter than the scenario's own holds, an op_timeout of 0, write targets
// with no writer, a kill of no process, a delay of 0, a host in two
// partition groups or cut off from itself; and, as warnings, a rate over
// more runs than the scenario makes. Pure: it reads the loaded scenario
// and the marks of its YAML.
#pragma once

#include <string>
#include <vector>

#include "core/yaml_reader.h"
#include "scenario/scenario.h"

namespace pgha {

void CheckScenarioMeaning(const Scenario& s, YamlMap& top, Diagnostics& diags, std::vector<std::string>* warnings);

}  // namespace pgha
