#include "app/system.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

#include "cluster/preflight.h"
#include "providers/registry.h"

namespace pgha {

Result<std::unique_ptr<Provider>> RealSystem::MakeProvider(const std::string& name) {
  return pgha::MakeProvider(name.empty() ? kDefaultProvider : name, MachineDeps{runner, table, clock});
}

Result<std::unique_ptr<Provider>> RealSystem::ProviderForCommand(const std::string& name, const std::string& command) {
  auto provider = MakeProvider(name);
  if (!provider.ok()) return InvalidInput("--provider: " + provider.status().message());
  if (Status root = RequireRoot(command); !root.ok()) return root;
  return provider;
}

void PrintError(const std::string& message) { fmt::print(stderr, "pgha-chaos: error: {}\n", message); }
void PrintWarning(const std::string& message) { fmt::print(stderr, "pgha-chaos: warning: {}\n", message); }

void PrintProgress(const std::string& line) {
  fmt::print(stderr, "  {}\n", line);
  std::fflush(stderr);
}

Status RequireRoot(const std::string& command) { return CheckRoot(geteuid(), command); }

}  // namespace pgha
