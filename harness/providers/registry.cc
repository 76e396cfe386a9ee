#include "providers/registry.h"

#include <fmt/format.h>

#include <functional>
#include <map>

#include "core/text.h"
#include "providers/netns_provider.h"

namespace pgha {
namespace {

using Factory = std::function<std::unique_ptr<Provider>(MachineDeps)>;

// The netns provider reads namespaces through a table that lives as long as the process.
std::unique_ptr<Provider> MakeNetns(MachineDeps d) {
  static LinuxNetnsTable netns;
  return std::make_unique<NetnsProvider>(NetnsDeps{d.runner, d.table, netns, d.clock});
}

const std::map<std::string, Factory>& Factories() {
  static const std::map<std::string, Factory> kFactories = {
      {"netns", MakeNetns},
  };
  return kFactories;
}

}  // namespace

Result<std::unique_ptr<Provider>> MakeProvider(const std::string& name, MachineDeps deps) {
  auto it = Factories().find(name);
  if (it == Factories().end())
    return InvalidInput(fmt::format("unknown provider \"{}\"; providers are {}", name, ProviderNames()));
  return it->second(deps);
}

std::string ProviderNames() {
  std::vector<std::string> names;
  for (const auto& [name, _] : Factories()) names.push_back(name);
  return Join(names);
}

}  // namespace pgha
