// Topology: which hosts a cluster has, what runs on each, and the settings
// under test (Patroni DCS timings, HAProxy check timings). Plain structs
// with commented defaults; YAML only fills them (fixtures/topologies/).
//
// LoadTopology reads a file strictly (unknown keys, wrong types and bad
// units are errors with file:line:column) and validates it; warnings (such
// as Patroni's unchecked rule loop_wait + 2*retry_timeout <= ttl) come back
// beside a valid topology. Scenario files override the same settings
// through ApplyPatroniSettings / ApplyHaproxySettings.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "scenario/yaml_reader.h"

namespace pgha {

using namespace std::chrono_literals;

struct PatroniSettings {
  Duration ttl = 5s;                         // leader key lifetime (the reference settings)
  Duration loop_wait = 1s;                   // HA loop period
  Duration retry_timeout = 2s;               // DCS and PostgreSQL retry budget
  int64_t maximum_lag_on_failover = 1048576; // bytes a replica may lag and still be promoted
  bool synchronous_mode = false;
  bool synchronous_mode_strict = false;
  bool use_pg_rewind = true;
  std::map<std::string, std::string> postgresql_parameters;  // extra postgresql.conf settings
};

struct HaproxySettings {
  Duration check_interval = 250ms;           // inter, fastinter and downinter
  Duration check_timeout = 1s;               // timeout check
  int fall = 2;                              // failed checks before a server is marked down
  int rise = 1;                              // passed checks before it is marked up
  bool shutdown_sessions = true;             // on-marked-down shutdown-sessions
};

enum class HostRole { kEtcd, kPatroni, kHaproxy };

struct HostSpec {
  std::string name;                          // [a-z][a-z0-9]{0,7}: becomes part of namespace names
  std::vector<HostRole> roles;
  bool Has(HostRole r) const;
};

struct Topology {
  std::string name;
  std::string source_file;
  std::string subnet = "10.77.0.0/24";       // bridge gets .1, hosts .10, .11, ...
  std::vector<HostSpec> hosts;
  PatroniSettings patroni;
  HaproxySettings haproxy;
  Duration up_timeout = 90s;                 // deadline for `up` to reach healthy
  uint64_t data_volume = 0;                  // bytes; >0 puts each PostgreSQL data directory on its own tmpfs of this size (needed by disk_full)

  std::vector<const HostSpec*> HostsWith(HostRole r) const;
};

struct LoadedTopology {
  Topology topology;
  std::vector<std::string> warnings;
};

Result<LoadedTopology> LoadTopology(const std::string& path);
Result<LoadedTopology> ParseTopology(const std::string& yaml_text, const std::string& name);

// Readers for the settings blocks, shared with the scenario loader.
void ReadPatroniSettings(YamlMap& map, PatroniSettings* out);
void ReadHaproxySettings(YamlMap& map, HaproxySettings* out);

// Semantic checks; errors are fatal, warnings are returned.
Status ValidateTopology(const Topology& t, std::vector<std::string>* warnings);
// Patroni's rule, which Patroni 3.0.2 does not enforce itself.
std::vector<std::string> PatroniTimingWarnings(const PatroniSettings& p);

std::string RoleName(HostRole r);

}  // namespace pgha
