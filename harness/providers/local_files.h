// LocalFiles: HostFiles for hosts whose files are this machine's own (the
// netns provider's hosts share the machine's filesystem; a host's paths
// are plain local paths). Owners are set by user name (chown, not
// recursive; LookupOwner says whose names) unless turned off for unit tests. Stateless; thread-safe.
#pragma once

#include <sys/types.h>

#include <optional>
#include <utility>

#include "cluster/provider.h"

namespace pgha {

class LocalFiles : public HostFiles {
 public:
  explicit LocalFiles(bool apply_owners = true) : apply_owners_(apply_owners) {}
  Status WriteFile(const HostPlan& host, const FileSpec& file) override;
  Status MakeDirectory(const HostPlan& host, const std::string& path, mode_t mode, const std::string& owner) override;
  Result<std::string> ReadFile(const HostPlan& host, const std::string& path) override;
  Result<uint64_t> RemoveTree(const HostPlan& host, const std::string& path) override;
  Result<uint64_t> FillFilesystem(const HostPlan& host, const std::string& path, Manifest& m) override;
  Status RemoveFile(const HostPlan& host, const std::string& path) override;
  Status CollectLogs(const HostPlan& host, const std::vector<std::string>& files, const std::string& dest_dir) override;

  Status SetOwner(const std::string& path, const std::string& owner);

 protected:
  // A user's uid and gid by name (this machine's users; nullopt: no such user).
  virtual std::optional<std::pair<uid_t, gid_t>> LookupOwner(const std::string& user);

 private:
  bool apply_owners_;
};

}  // namespace pgha
