#include "cluster/provider.h"

#include <fmt/format.h>

#include <filesystem>

namespace pgha {

std::vector<int> LiveDaemonPids(const Manifest& m, const std::string& label, HostShell& shell, const HostPlan& host) {
  std::vector<int> pids;
  for (const auto& r : m.Snapshot())
    if (r.kind == kProcessResource && r.name == label && r.state == ResourceState::kCreated &&
        shell.Alive(host, r.pid, r.start_time))
      pids.push_back(r.pid);
  return pids;
}

Status CreateRecordedDirectory(const std::string& path, Manifest& m) {
  auto id = m.Record(Resource::Of(kDirectoryResource, path));
  if (!id.ok()) return id.status();
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return Failed(fmt::format("cannot create {}: {}", path, ec.message()));
  return m.MarkCreated(*id);
}

namespace {
bool UnderRoot(const std::string& path, const std::string& root) {
  if (root.empty() || path.size() <= root.size() + 1) return false;
  return path.compare(0, root.size(), root) == 0 && path[root.size()] == '/' && path.find("/../") == std::string::npos;
}
}  // namespace

namespace {
std::string RemoveRecorded(const std::string& path, const std::string& allowed_root, bool tree) {
  if (!UnderRoot(path, allowed_root)) return fmt::format("refusing to remove {}: not below {}", path, allowed_root);
  std::error_code ec;
  if (tree)
    std::filesystem::remove_all(path, ec);
  else
    std::filesystem::remove(path, ec);
  if (ec) return fmt::format("cannot remove {}: {}", path, ec.message());
  return "";
}
}  // namespace

std::string RemoveRecordedDirectory(const std::string& path, const std::string& allowed_root) {
  return RemoveRecorded(path, allowed_root, true);
}

std::string RemoveRecordedFile(const std::string& path, const std::string& allowed_root) {
  return RemoveRecorded(path, allowed_root, false);
}

}  // namespace pgha
