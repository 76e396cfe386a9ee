// Teardown of what a run on this machine recorded (netns_teardown.cc),
// shared by the providers that make hosts here (netns, containers):
// recorded processes and everything left in the run's namespaces are
// killed first, then every other resource is removed newest first
// (mounts, iptables rules, links, namespaces, folders). A provider with
// kinds of its own adds them through hooks. Errors are collected in the
// report; what could not be removed stays in the manifest for `cleanup`.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "providers/netns_provider.h"

namespace pgha {

struct TeardownHooks {
  // Runs before any process is killed (containers: an orderly stop).
  std::function<void(const std::vector<Resource>&)> before_processes;
  // Removes a resource of the provider's own kinds: "" done (or already
  // gone), else why not; nullopt for a kind the hook does not know.
  std::function<std::optional<std::string>(const Resource&)> remove;
};

TeardownReport TeardownRecorded(NetnsDeps d, Manifest& m, const TeardownOptions& options, const TeardownHooks& hooks);

}  // namespace pgha
