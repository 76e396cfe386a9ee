// The harness's working folder (default /var/lib/pgha-chaos):
//   manifests/<run>.json   what each run created (see manifest.h)
//   runs/<run>/            configs, data and logs of each run's cluster
//   current                the run id of the cluster `up` left standing
// Helpers only compute paths or read/write these small files.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace pgha {

constexpr const char* kDefaultWorkdir = "/var/lib/pgha-chaos";

std::string ManifestPath(const std::string& workdir, const std::string& run_id);
std::string RunDir(const std::string& workdir, const std::string& run_id);
std::string RunsRoot(const std::string& workdir);
std::optional<std::string> ReadCurrentRun(const std::string& workdir);
Status WriteCurrentRun(const std::string& workdir, const std::string& run_id);
void ClearCurrentRun(const std::string& workdir, const std::string& run_id);
// Run ids of every manifest on disk, oldest file first.
std::vector<std::string> ListManifestRuns(const std::string& workdir);

}  // namespace pgha
