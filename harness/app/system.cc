#include "app/system.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

#include "cluster/preflight.h"
#include "core/text.h"
#include "providers/registry.h"
#include "scenario/inventory_loader.h"
#include "services/patroni_live.h"

namespace pgha {

Result<std::unique_ptr<Provider>> RealSystem::MakeProvider(const std::string& name) {
  return pgha::MakeProvider(name.empty() ? kDefaultProvider : name, MachineDeps{runner, table, clock, http},
                            provider_options);
}

namespace {

// The cluster's own settings under test, from the first Patroni that answers.
void ReadClusterSettings(HttpClient& http, Inventory* inv) {
  inv->topology.settings_from = "Patroni's /config: no member answered";
  for (const auto* h : inv->topology.HostsRunning("patroni")) {
    HttpTarget api;
    api.host = inv->Find(h->name)->address;
    api.port = h->Service("patroni")->Port("api");
    if (inv->topology.tls.patroni_api) {
      api.ca_file = inv->tls_dir + "/ca.crt";
      api.cert_file = inv->tls_dir + "/client.crt";
      api.key_file = inv->tls_dir + "/client.key";
    }
    auto settings = FetchPatroniSettings(http, api);
    if (!settings.ok()) continue;
    inv->topology.patroni = *settings;
    inv->topology.settings_from = "Patroni's /config on " + h->name;
    return;
  }
}

}  // namespace

Status RealSystem::UsePackages(const std::string& provider, const std::string& dir) {
  if (dir.empty()) return Status::Ok();
  if (provider != "containers")
    return InvalidInput("--packages is for --provider containers: the image's packages are replaced by yours; on " +
                        std::string(provider.empty() ? kDefaultProvider : provider) +
                        " hosts install them on the hosts themselves");
  provider_options.packages_dir = dir;
  return Status::Ok();
}

Status RealSystem::Prepare(const std::string& provider, const std::string& inventory, bool dry_run,
                           const std::string& fixtures_dir) {
  provider_options.fixtures_dir = fixtures_dir;
  const std::string name = provider.empty() ? kDefaultProvider : provider;
  if (!inventory.empty() && name != "ssh")
    return InvalidInput("--inventory is for --provider ssh (a cluster on existing hosts)");
  if (dry_run && name != "ssh")
    return InvalidInput(
        "--dry-run is for --provider ssh: it prints what a run would do to hosts the harness did not "
        "build");
  if (name != "ssh") return Status::Ok();
  if (inventory.empty())
    return InvalidInput(
        "--provider ssh needs --inventory FILE: the Ansible inventory of the hosts (docs/real-hosts.md: existing "
        "hosts over SSH)");
  auto inv = LoadInventory(inventory);
  if (!inv.ok()) return inv.status();
  ReadClusterSettings(http, &*inv);
  provider_options.inventory = *inv;
  provider_options.dry_run = dry_run;
  provider_options.print = [](const std::string& line) {
    fmt::print("{}\n", line);
    std::fflush(stdout);
  };
  return Status::Ok();
}

Result<std::unique_ptr<Provider>> RealSystem::ProviderForCommand(const std::string& name, const std::string& command) {
  auto provider = MakeProvider(name);
  if (!provider.ok()) return InvalidInput("--provider: " + provider.status().message());
  // Hosts made here need root; over ssh the hosts' own users decide.
  if (name != "ssh")
    if (Status root = RequireRoot(command); !root.ok()) return root;
  return provider;
}

void PrintError(const std::string& message) {
  fmt::print(stderr, "pgha-chaos: error: {}\n", EscapeForTerminal(message));
}
void PrintWarning(const std::string& message) {
  fmt::print(stderr, "pgha-chaos: warning: {}\n", EscapeForTerminal(message));
}

// Best effort, never a throw: a reader gone from stderr (`2>&1 | head`)
// made fmt::print throw out of the run's thread, which ended the program
// with its cluster standing (a session's own run, 2026-12-07).
void PrintProgress(const std::string& line) {
  const std::string text = "  " + line + "\n";
  if (std::fwrite(text.data(), 1, text.size(), stderr) == text.size()) std::fflush(stderr);
  std::clearerr(stderr);
}

Status RequireRoot(const std::string& command) { return CheckRoot(geteuid(), command); }

}  // namespace pgha
