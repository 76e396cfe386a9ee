// Loading topology files (fixtures/topologies/*.yaml) into model/topology.h.
//
// A host names its services either as a list (`roles: [etcd, patroni]`,
// each with its default ports) or as a map with ports
// (`services: {haproxy: {ports: {primary: 6000}}}`); kinds and default
// ports come from services/registry.h. `endpoints` names where clients
// connect (`read_write: {host: lb, port: 5000, tls: false}`); without it
// the first router's ports serve read-write and read-only clients.
//
// Reading is strict: unknown keys, wrong types and bad units are errors
// with file:line:column and the closest known key; semantic errors (no
// etcd, a subnet too small) name the file. Warnings (Patroni's unchecked
// rule loop_wait + 2*retry_timeout <= ttl, an even etcd count) come back
// beside a valid topology. Scenario files override the settings blocks
// through ReadPatroniSettings / ReadHaproxySettings. Pure apart from
// reading the file.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "core/yaml_reader.h"
#include "model/topology.h"

namespace pgha {

struct LoadedTopology {
  Topology topology;
  std::vector<std::string> warnings;
};

Result<LoadedTopology> LoadTopology(const std::string& path);
Result<LoadedTopology> ParseTopology(const std::string& yaml_text, const std::string& name);

// Readers for the settings blocks, shared with the scenario and suite loaders.
void ReadPatroniSettings(YamlMap& map, PatroniSettings* out);
void ReadHaproxySettings(YamlMap& map, HaproxySettings* out);

// Semantic checks; errors are fatal, warnings are appended.
Status ValidateTopology(const Topology& t, std::vector<std::string>* warnings);

}  // namespace pgha
