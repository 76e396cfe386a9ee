// ContainerFiles: a container host's files, seen from this machine.
#include <fmt/format.h>

#include <sstream>

#include "core/files.h"
#include "core/text.h"
#include "providers/containers_provider.h"

namespace pgha {

std::string ContainerFiles::Local(const HostPlan& host, const std::string& path) const {
  if (path == host.dir || path.rfind(host.dir + "/", 0) == 0) return path;  // bind-mounted at the same path
  return PathsOf(host).root + path;
}

Status ContainerFiles::WriteFile(const HostPlan& host, const FileSpec& file) {
  FileSpec local = file;
  local.path = Local(host, file.path);
  return LocalFiles::WriteFile(host, local);
}

Status ContainerFiles::MakeDirectory(const HostPlan& host, const std::string& path, mode_t mode,
                                     const std::string& owner) {
  return LocalFiles::MakeDirectory(host, Local(host, path), mode, owner);
}

Result<std::string> ContainerFiles::ReadFile(const HostPlan& host, const std::string& path) {
  return LocalFiles::ReadFile(host, Local(host, path));
}

Result<uint64_t> ContainerFiles::RemoveTree(const HostPlan& host, const std::string& path) {
  return LocalFiles::RemoveTree(host, Local(host, path));
}

Result<uint64_t> ContainerFiles::FillFilesystem(const HostPlan& host, const std::string& path, Manifest& m) {
  return LocalFiles::FillFilesystem(host, Local(host, path), m);
}

Status ContainerFiles::RemoveFile(const HostPlan& host, const std::string& path) {
  return LocalFiles::RemoveFile(host, Local(host, path));
}

// The image's /etc/passwd: users are baked into it and never added at run time.
std::optional<std::pair<uid_t, gid_t>> ContainerFiles::LookupOwner(const std::string& user) {
  auto passwd = ReadTextFile(o_.image_dir + "/rootfs/etc/passwd");
  if (!passwd.ok()) return std::nullopt;
  std::istringstream in(*passwd);
  for (std::string line; std::getline(in, line);) {
    const auto f = Split(line, ':');
    if (f.size() < 4 || f[0] != user) continue;
    auto uid = ParseInt(f[2]);
    auto gid = ParseInt(f[3]);
    if (uid && gid) return std::make_pair(static_cast<uid_t>(*uid), static_cast<gid_t>(*gid));
  }
  return std::nullopt;
}

}  // namespace pgha
