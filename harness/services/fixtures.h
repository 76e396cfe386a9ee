// Reading the config templates of fixtures/ (or the user's own, named in
// the topology's `templates:`) and the variables every template shares
// (the host's name, address, interface, folder and TLS folder, the
// cluster's scope and subnet). The template language is core/template.h.
// Pure apart from reading the template file.
#pragma once

#include <string>

#include "core/status.h"
#include "core/template.h"
#include "model/cluster_plan.h"
#include "services/service.h"

namespace pgha {

// fixtures_dir/name, or an error that says to point --fixtures at fixtures/.
Result<std::string> ReadFixture(const std::string& fixtures_dir, const std::string& name);
// The shared variables: scope, name, address, interface, subnet, prefix,
// node_dir, tls_dir, vip, bind_address (the host's address, or * on a
// keepalived host, so that the VIP is served wherever it lands).
TemplateContext CommonTemplateVars(const ClusterPlan& plan, const HostPlan& host);
// Reads fixtures/<name> and renders it with `vars`.
Result<std::string> RenderFixture(const std::string& fixtures_dir, const std::string& name,
                                  const TemplateContext& vars);
// Renders service `kind`'s config: the topology's own template for it
// when it names one, else fixtures/<fixture>.
Result<std::string> RenderServiceConfig(const RenderContext& c, const std::string& kind, const std::string& fixture,
                                        const TemplateContext& vars);

}  // namespace pgha
