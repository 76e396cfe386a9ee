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
      .Set("subnet", plan.subnet)
      .Set("node_dir", host.dir);
  return c;
}

Result<std::string> RenderFixture(const std::string& dir, const std::string& name, const TemplateContext& vars) {
  auto text = ReadFixture(dir, name);
  if (!text.ok()) return text.status();
  return RenderTemplate(*text, vars, "fixtures/" + name);
}

}  // namespace pgha
