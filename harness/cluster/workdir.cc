#include "cluster/workdir.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/files.h"

namespace pgha {
namespace fs = std::filesystem;

std::string ManifestPath(const std::string& w, const std::string& id) { return w + "/manifests/" + id + ".json"; }
std::string RunDir(const std::string& w, const std::string& id) { return w + "/runs/" + id; }
std::string RunsRoot(const std::string& w) { return w + "/runs"; }

std::optional<std::string> ReadCurrentRun(const std::string& w) {
  auto text = ReadTextFile(w + "/current");
  if (!text.ok()) return std::nullopt;
  std::string id = *text;
  while (!id.empty() && (id.back() == '\n' || id.back() == ' ')) id.pop_back();
  if (id.empty()) return std::nullopt;
  return id;
}

Status WriteCurrentRun(const std::string& w, const std::string& id) {
  return WriteFileAtomic(w + "/current", id + "\n");
}

void ClearCurrentRun(const std::string& w, const std::string& id) {
  auto cur = ReadCurrentRun(w);
  std::error_code ec;
  if (cur && *cur == id) fs::remove(w + "/current", ec);
}

std::vector<std::string> ListManifestRuns(const std::string& w) {
  std::vector<std::pair<fs::file_time_type, std::string>> found;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(w + "/manifests", ec)) {
    if (e.path().extension() != ".json") continue;
    found.emplace_back(e.last_write_time(ec), e.path().stem().string());
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> ids;
  for (auto& f : found) ids.push_back(f.second);
  return ids;
}

}  // namespace pgha
