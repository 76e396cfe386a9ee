// The providers, by name (registry.cc): `--provider NAME` (default
// netns) picks one. A new provider is a new file in providers/ and one
// line in registry.cc. Only app/ includes this; everything else is handed
// a Provider&.
#pragma once

#include <memory>
#include <string>

#include "cluster/provider.h"
#include "core/clock.h"
#include "core/process.h"

namespace pgha {

// What every provider may use of this machine.
struct MachineDeps {
  ProcessRunner& runner;
  ProcessTable& table;
  Clock& clock;
};

inline constexpr const char* kDefaultProvider = "netns";

// An unknown name is an InvalidInput error that lists the known ones.
Result<std::unique_ptr<Provider>> MakeProvider(const std::string& name, MachineDeps deps);
std::string ProviderNames();

}  // namespace pgha
