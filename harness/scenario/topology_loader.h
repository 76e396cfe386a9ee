// Loading topology files (fixtures/topologies/*.yaml) into model/topology.h.
//
// A host names its services either as a list (`roles: [etcd, patroni]`,
// each with its default ports) or as a map with ports
// (`services: {haproxy: {ports: {primary: 6000}}}`); kinds and default
// ports come from services/registry.h. `vip` floats an address over the
// keepalived hosts; `tls` says which links use TLS; `templates` names a
// user's own config templates. `endpoints` names where clients connect
// (`read_write: {host: lb, port: 5000}`, `{via: vip, port: 5000}`,
// `{via: multi_host, service: pgbouncer}`); without it the VIP, else the
// first router, else a multi-host string serves read-write and read-only
// clients.
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

// Readers for the settings blocks (topology_settings.cc), shared with the
// scenario and suite loaders. A path in a block is relative to its file.
void ReadPatroniSettings(YamlMap& map, PatroniSettings* out);
void ReadHaproxySettings(YamlMap& map, HaproxySettings* out);
void ReadPgbouncerSettings(YamlMap& map, PgbouncerSettings* out);
void ReadVip(YamlMap& map, const std::string& subnet, VipSpec* out);
void ReadTlsSettings(YamlMap& map, TlsSettings* out);
void ReadTemplates(YamlMap& map, ConfigTemplates* out);
// Renders every user template of the topology once, on a made-up run, so
// that a template mistake (an unknown variable, at its file:line) shows
// at validate time, before anything starts.
Status RenderUserConfigs(const Topology& t);

// The endpoints block, and the defaults for roles it leaves out
// (topology_endpoints.cc): the VIP, a router, or a multi-host string.
void ReadEndpoints(const YAML::Node& node, YamlMap& top, Topology* t);
// The port name of service `kind` that clients of `role` connect to, or "" (topology_endpoints.cc).
std::string PortNameFor(const std::string& kind, EndpointRole role);
void DefaultEndpoints(Topology* t);

// Semantic checks; errors are fatal, warnings are appended.
Status ValidateTopology(const Topology& t, std::vector<std::string>* warnings);

}  // namespace pgha
