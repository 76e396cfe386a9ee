// The providers, by name (registry.cc): `--provider NAME` (default
// netns) picks one. A new provider is a new file in providers/ and one
// line in registry.cc. Only app/ includes this; everything else is handed
// a Provider&.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "client/http_client.h"
#include "cluster/provider.h"
#include "core/clock.h"
#include "core/process.h"
#include "model/inventory.h"

namespace pgha {

// What every provider may use of this machine.
struct MachineDeps {
  ProcessRunner& runner;
  ProcessTable& table;
  Clock& clock;
  HttpClient& http;  // ssh: asks Patroni which cluster it serves
};

// What some providers need beyond the machine (plain settings from the command line).
struct ProviderOptions {
  std::string fixtures_dir;  // containers: fixtures/image/packages.txt says what the image must hold
  std::string image_dir;     // containers: "" is $PGHA_CHAOS_IMAGES/debian12 or /var/lib/pgha-chaos/images/debian12
  // containers: the user's own .deb files (--packages); the image is then
  // the one built with them (providers/image_packages.h)
  std::string packages_dir;
  std::optional<Inventory> inventory;  // ssh: the hosts (scenario/inventory_loader.h); none for down and cleanup
  bool dry_run = false;                // ssh: print every command instead of running it
  std::function<void(const std::string&)> print;  // ssh: where a dry run prints
  std::string helper;  // netns: the pgha-chaos that runs on hosts (durable-fs); "" this program
};

inline constexpr const char* kDefaultProvider = "netns";

// An unknown name is an InvalidInput error that lists the known ones.
Result<std::unique_ptr<Provider>> MakeProvider(const std::string& name, MachineDeps deps,
                                               const ProviderOptions& options = {});
std::string ProviderNames();

}  // namespace pgha
