// Checks a user's own config template (the topology's `templates:`) for
// settings the harness must own: the addresses and ports every service
// listens on or connects to, and the files it keeps per host. A template
// that writes them literally (bind 192.168.60.100:5000) would send the
// harness's clients and checks somewhere else, so each such line is an
// error at file:line that names the variable to use instead. Pure.
#pragma once

#include <string>
#include <vector>

#include "core/yaml_reader.h"

namespace pgha {

// `kind` is haproxy, pgbouncer or keepalived; other kinds have no rules.
void CheckTemplateOwnership(const std::string& kind, const std::string& text, const std::string& file,
                            Diagnostics* diags);

}  // namespace pgha
