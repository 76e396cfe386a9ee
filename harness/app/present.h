// What the commands print for people: connection strings after `up`, the
// `status` table, and a scenario's verdict table after `run`. Text only;
// machines read `status --json` and the result files.
#pragma once

#include <string>

#include "deploy/deployer.h"
#include "observe/cluster_probe.h"
#include "observe/health.h"
#include "result/baseline.h"
#include "result/result.h"

namespace pgha {

std::string ConnectionsText(const RunningCluster& c);
std::string StatusText(const ClusterPlan& plan, const ClusterObservation& obs, const HealthVerdict& health);
std::string VerdictsText(const ScenarioResult& r);
// One line per comparison with a baseline, regressions first marked.
std::string BaselineText(const BaselineComparison& b);

}  // namespace pgha
