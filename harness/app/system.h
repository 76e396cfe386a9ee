// The real machine, wired once: the process runner and table, the clock,
// the HTTP and SQL clients, and a provider picked by name from
// providers/registry.h. Only app/ builds these; everything below is handed
// the interfaces.
#pragma once

#include <memory>
#include <string>

#include "client/http_client.h"
#include "client/sql_client.h"
#include "cluster/provider.h"
#include "core/clock.h"
#include "core/process.h"
#include "providers/registry.h"

namespace pgha {

struct RealSystem {
  BoostProcessRunner runner;
  LinuxProcessTable table;
  SystemClock clock;
  HttplibClient http;
  LibpqClient sql;
  ProviderOptions provider_options;  // what the command line says for the providers that need it
  // Checks and fills provider_options from the command line: --inventory
  // and --dry-run only with the ssh provider, which needs an inventory
  // (loaded here, with the settings under test read from Patroni).
  Status Prepare(const std::string& provider, const std::string& inventory, bool dry_run,
                 const std::string& fixtures_dir);
  // --packages DIR: only with the containers provider, whose image then holds them.
  Status UsePackages(const std::string& provider, const std::string& dir);
  // An unknown name is an InvalidInput error listing the known ones.
  Result<std::unique_ptr<Provider>> MakeProvider(const std::string& name);
  // The provider named by --provider for a command that needs root to
  // create hosts; an unknown provider or not root is an error for exit 2.
  Result<std::unique_ptr<Provider>> ProviderForCommand(const std::string& name, const std::string& command);
};

void PrintError(const std::string& message);
void PrintWarning(const std::string& message);
// Progress lines go to stderr, flushed at once.
void PrintProgress(const std::string& line);
Status RequireRoot(const std::string& command);

}  // namespace pgha
