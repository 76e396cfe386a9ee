#include "providers/registry.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>

#include "core/text.h"
#include "providers/containers_provider.h"
#include "providers/image_packages.h"
#include "providers/netns_provider.h"
#include "providers/ssh_provider.h"

namespace pgha {
namespace {

namespace fs = std::filesystem;

using Factory = std::function<Result<std::unique_ptr<Provider>>(MachineDeps, const ProviderOptions&)>;

// Providers read namespaces through a table that lives as long as the process.
LinuxNetnsTable& Namespaces() {
  static LinuxNetnsTable netns;
  return netns;
}

Result<std::unique_ptr<Provider>> MakeNetns(MachineDeps d, const ProviderOptions& o) {
  NetnsOptions n;
  n.helper = o.helper;
  return std::unique_ptr<Provider>(
      std::make_unique<NetnsProvider>(NetnsDeps{d.runner, d.table, Namespaces(), d.clock}, n));
}

Result<std::unique_ptr<Provider>> MakeContainers(MachineDeps d, const ProviderOptions& o) {
  ContainersOptions c;
  const char* images = std::getenv("PGHA_CHAOS_IMAGES");
  const std::string root = images ? images : "/var/lib/pgha-chaos/images";
  c.image_dir = !o.image_dir.empty() ? o.image_dir : root + "/debian12";
  if (!o.packages_dir.empty()) {
    auto set = ReadPackageSet(o.packages_dir);
    if (!set.ok()) return set.status();
    c.image_dir = PackageImageDir(root, *set);
    c.packages_dir = set->dir;
  }
  if (!o.fixtures_dir.empty()) {
    c.package_list = o.fixtures_dir + "/image/packages.txt";
    // Beside the fixtures: tools/ of the source tree, or of share/pgha-chaos when installed.
    const std::string script = (fs::path(o.fixtures_dir).parent_path() / "tools" / "build-image.sh").string();
    if (fs::exists(script)) c.build_image = script;
  }
  return std::unique_ptr<Provider>(
      std::make_unique<ContainersProvider>(NetnsDeps{d.runner, d.table, Namespaces(), d.clock}, c));
}

Result<std::unique_ptr<Provider>> MakeSsh(MachineDeps d, const ProviderOptions& o) {
  return std::unique_ptr<Provider>(
      std::make_unique<SshProvider>(SshDeps{d.runner, d.clock, d.http}, o.inventory, o.dry_run, o.print));
}

const std::map<std::string, Factory>& Factories() {
  static const std::map<std::string, Factory> kFactories = {
      {"netns", MakeNetns},
      {"containers", MakeContainers},
      {"ssh", MakeSsh},
  };
  return kFactories;
}

}  // namespace

Result<std::unique_ptr<Provider>> MakeProvider(const std::string& name, MachineDeps deps,
                                               const ProviderOptions& options) {
  auto it = Factories().find(name);
  if (it == Factories().end())
    return InvalidInput(fmt::format("unknown provider \"{}\"; providers are {}", name, ProviderNames()));
  return it->second(deps, options);
}

std::string ProviderNames() {
  std::vector<std::string> names;
  for (const auto& [name, _] : Factories()) names.push_back(name);
  return Join(names);
}

}  // namespace pgha
