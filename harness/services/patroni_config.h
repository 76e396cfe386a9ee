// A user's own Patroni configuration (patroni.config_overlay): a YAML
// fragment in Patroni 3.0.2's format merged over the file the harness
// renders for each member.
//
// CheckPatroniOverlay reports, by file:line:column, every key Patroni does
// not know (with the closest known one) and every setting the harness must
// own and would otherwise lose: the cluster's and member's names, the DCS
// section, addresses and ports, the data and binary directories, the
// credentials, the TLS files, the watchdog and the log directory.
// ReadOverlaySettings lifts the settings under test out of the fragment's
// bootstrap.dcs (ttl, loop_wait, retry_timeout, maximum_lag_on_failover,
// synchronous_mode, synchronous_mode_strict, postgresql.use_pg_rewind and
// postgresql.parameters), so that reports, checks and the rendered file
// agree on them. MergePatroniOverlay merges the fragment into a rendered
// file: maps key by key, anything else replaced. Pure apart from reading
// the fragment.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "core/status.h"
#include "core/yaml_reader.h"
#include "model/topology.h"

namespace pgha {

void CheckPatroniOverlay(const YAML::Node& root, const std::string& file, Diagnostics* diags);
// Whether a YAML map has a section of Patroni 3.0.2's own (scope,
// bootstrap, postgresql, etcd3, ...; not the generic name or namespace):
// how validate and lint tell a patroni.yml or an overlay apart.
bool HasPatroniSection(const YAML::Node& root);
// Why pgha-chaos sets the PostgreSQL parameter `name` itself (any case:
// PORT is port), or "" when a topology or scenario may set it.
std::string HarnessOwnedParameter(const std::string& name);
void ReadOverlaySettings(const YAML::Node& root, const std::string& file, PatroniSettings* p, Diagnostics* diags);
Result<std::string> MergePatroniOverlay(const std::string& rendered_yaml, const std::string& overlay_path);

}  // namespace pgha
