#include "services/fixtures.h"

#include <fmt/format.h>

#include "core/files.h"

namespace pgha {

Result<std::string> ReadFixture(const std::string& dir, const std::string& name) {
  auto text = ReadTextFile(dir + "/" + name);
  if (!text.ok())
    return EnvironmentError(
        fmt::format("cannot read {}/{}: point --fixtures at the project's fixtures/ folder", dir, name));
  return *text;
}

TemplateContext CommonTemplateVars(const ClusterPlan& plan, const HostPlan& host) {
  TemplateContext c;
  c.Set("scope", plan.scope)
      .Set("name", host.name)
      .Set("address", host.address)
      .Set("interface", host.interface)
      .Set("subnet", plan.subnet)
      .Set("prefix", std::to_string(plan.prefix))
      .Set("node_dir", host.dir)
      .Set("tls_dir", HostTlsDir(host))
      .Set("vip", plan.vip)
      .Set("bind_address", plan.vip.empty() || !host.Runs("keepalived") ? host.address : "*");
  return c;
}

Result<std::string> RenderServiceConfig(const RenderContext& c, const std::string& kind, const std::string& fixture,
                                        const TemplateContext& vars) {
  auto own = c.topology.templates.by_service.find(kind);
  if (own == c.topology.templates.by_service.end()) return RenderFixture(c.fixtures_dir, fixture, vars);
  auto text = ReadInputFile(own->second);
  if (!text.ok()) return InvalidInput(fmt::format("the {} template: {}", kind, text.status().message()));
  return RenderTemplate(*text, vars, own->second);
}

Result<std::string> RenderFixture(const std::string& dir, const std::string& name, const TemplateContext& vars) {
  auto text = ReadFixture(dir, name);
  if (!text.ok()) return text.status();
  return RenderTemplate(*text, vars, "fixtures/" + name);
}

}  // namespace pgha
