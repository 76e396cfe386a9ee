#include "providers/local_files.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <filesystem>

#include "core/files.h"

namespace pgha {
namespace fs = std::filesystem;

std::optional<std::pair<uid_t, gid_t>> LocalFiles::LookupOwner(const std::string& user) {
  struct passwd* pw = getpwnam(user.c_str());
  if (pw == nullptr) return std::nullopt;
  return std::make_pair(pw->pw_uid, pw->pw_gid);
}

Status LocalFiles::SetOwner(const std::string& path, const std::string& owner) {
  if (owner.empty() || !apply_owners_) return Status::Ok();
  auto ids = LookupOwner(owner);
  if (!ids) return EnvironmentError(fmt::format("no user {} on this machine: run sudo tools/setup.sh", owner));
  if (chown(path.c_str(), ids->first, ids->second) != 0)
    return Failed(fmt::format("cannot give {} to {}", path, owner));
  return Status::Ok();
}

Status LocalFiles::WriteFile(const HostPlan&, const FileSpec& f) {
  std::error_code ec;
  fs::create_directories(fs::path(f.path).parent_path(), ec);
  if (!f.link_to.empty()) return ReplaceWithLink(f.path, f.link_to);
  if (Status s = WriteFileAtomic(f.path, f.content, f.mode); !s.ok()) return s;
  return SetOwner(f.path, f.owner);
}

Status LocalFiles::MakeDirectory(const HostPlan&, const std::string& path, mode_t mode, const std::string& owner) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) return Failed(fmt::format("cannot create {}: {}", path, ec.message()));
  if (chmod(path.c_str(), mode) != 0) return Failed("cannot set the mode of " + path);
  return SetOwner(path, owner);
}

Result<std::string> LocalFiles::ReadFile(const HostPlan&, const std::string& path) { return ReadTextFile(path); }

Result<uint64_t> LocalFiles::RemoveTree(const HostPlan& host, const std::string& path) {
  std::error_code ec;
  const auto removed = fs::remove_all(path, ec);
  if (ec) return Failed(fmt::format("cannot remove {} on {}: {}", path, host.name, ec.message()));
  return static_cast<uint64_t>(removed);
}

Result<uint64_t> LocalFiles::FillFilesystem(const HostPlan& host, const std::string& path, Manifest& m) {
  auto id = m.Record(Resource::Of(kFileResource, path, host.scope));
  if (!id.ok()) return id.status();
  m.MarkCreated(*id);
  struct statvfs st {};
  const std::string dir = fs::path(path).parent_path().string();
  if (statvfs(dir.c_str(), &st) != 0) return Failed("cannot stat the filesystem of " + dir + " on " + host.name);
  const uint64_t free_bytes = static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Failed("cannot create " + path);
  // Allocate all that is free (tmpfs takes fallocate); what the allocation
  // leaves (rounding) is written over until the filesystem says ENOSPC.
  uint64_t done = 0;
  if (free_bytes > 0 && posix_fallocate(fd, 0, static_cast<off_t>(free_bytes)) == 0) done = free_bytes;
  std::string zeros(1 << 16, '\0');
  lseek(fd, static_cast<off_t>(done), SEEK_SET);
  while (true) {
    ssize_t n = write(fd, zeros.data(), zeros.size());
    if (n <= 0) break;
    done += static_cast<uint64_t>(n);
  }
  close(fd);
  return done;
}

Status LocalFiles::RemoveFile(const HostPlan&, const std::string& path) {
  std::error_code ec;
  fs::remove(path, ec);
  if (ec) return Failed(fmt::format("cannot remove {}: {}", path, ec.message()));
  return Status::Ok();
}

Status LocalFiles::CollectLogs(const HostPlan&, const std::vector<std::string>& files, const std::string& dest) {
  std::error_code ec;
  for (const auto& src : files) {
    if (!fs::exists(src, ec)) continue;
    fs::create_directories(dest, ec);
    fs::copy_file(src, dest + "/" + fs::path(src).filename().string(), fs::copy_options::overwrite_existing, ec);
    if (ec) return Failed(fmt::format("cannot copy {} into {}: {}", src, dest, ec.message()));
  }
  return Status::Ok();
}

}  // namespace pgha
