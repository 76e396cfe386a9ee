// Reading the config templates of fixtures/ and the variables every
// template shares (the host's name, address, folder, the cluster's scope
// and subnet). The template language is core/template.h. Pure apart from
// reading the template file.
#pragma once

#include <string>

#include "core/status.h"
#include "core/template.h"
#include "model/cluster_plan.h"

namespace pgha {

// fixtures_dir/name, or an error that says to point --fixtures at fixtures/.
Result<std::string> ReadFixture(const std::string& fixtures_dir, const std::string& name);
// The shared variables: scope, name, address, subnet, node_dir.
TemplateContext CommonTemplateVars(const ClusterPlan& plan, const HostPlan& host);
// Reads fixtures/<name> and renders it with `vars`.
Result<std::string> RenderFixture(const std::string& fixtures_dir, const std::string& name,
                                  const TemplateContext& vars);

}  // namespace pgha
