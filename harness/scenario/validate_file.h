// What `validate` finds of one file a user hands over, told by its
// structure (scenario/input_kind.h): a scenario, suite, topology, Ansible
// inventory (checked offline, no host asked), Patroni overlay or config
// template is loaded and judged as `run` would; a cluster config or a
// results file is named with the command that reads it; anything else is
// "not a file pgha-chaos reads". Every refusal names the file. Shared by
// the CLI and the fuzz targets (tests/fuzz), so both judge alike. Pure
// apart from reading the file and the files it names.
#pragma once

#include <string>
#include <vector>

#include "scenario/inventory_loader.h"

namespace pgha {

struct FileVerdict {
  std::string kind;    // "scenario", "suite", "topology", ...; "" when unknown
  std::string detail;  // "7 steps, 3 expectations, topology compact"
  std::string error;   // "" when valid
  std::vector<std::string> warnings;
};

// An inventory's host names are resolved by `resolve` (the fuzz targets' asks no name server).
FileVerdict ValidateFile(const std::string& file, const std::string& fixtures_dir,
                         const HostResolver& resolve = SystemResolve);

}  // namespace pgha
