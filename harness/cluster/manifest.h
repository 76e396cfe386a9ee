// Manifest: the ledger of everything a run creates, written to disk
// *before* each thing is created (state "planned") and updated after
// ("created", with a pid and start time for processes). `down`, Ctrl-C
// handling and `pgha-chaos cleanup` all tear down from it, through the
// provider it names, so a run killed with SIGKILL at any moment can still
// be removed completely. A resource's kind is the provider's word for it
// ("netns", "iptables", ...); "process", "directory" and "file" are shared by all.
//
// Every change is persisted with an atomic rename before the call returns;
// a failure to persist is returned and the caller must not create the
// resource. Thread-safe: faults may record iptables rules from another
// thread than the provider.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/status.h"

namespace pgha {

// Kinds every provider records the same way.
inline constexpr const char* kProcessResource = "process";      // name "etcd@node1", pid and start time
inline constexpr const char* kDirectoryResource = "directory";  // a local path below the run's folder
inline constexpr const char* kFileResource = "file";            // a file with a secret in it (a key), on a host

enum class ResourceState { kPlanned, kCreated, kRemoved };

struct Resource {
  std::string kind;               // kProcessResource, kDirectoryResource, or a provider's own kind
  std::string name;               // path, link or namespace name, or "etcd@node1"
  std::string scope;              // processes and rules: where they live (the provider's word for the host)
  std::vector<std::string> args;  // a rule's words; a mount's fs type and options
  int pid = 0;
  uint64_t start_time = 0;
  ResourceState state = ResourceState::kPlanned;

  static Resource Of(std::string kind, std::string name, std::string scope = "") {
    Resource r;
    r.kind = std::move(kind);
    r.name = std::move(name);
    r.scope = std::move(scope);
    return r;
  }
};

class Manifest {
 public:
  // Creates a new manifest file for a run built by `provider`; fails if one exists at `path`.
  static Result<std::unique_ptr<Manifest>> Create(const std::string& path, const std::string& run_id,
                                                  const std::string& provider);
  static Result<std::unique_ptr<Manifest>> Open(const std::string& path);

  // Persists the resource as planned; returns its id.
  Result<size_t> Record(Resource r);
  Status MarkCreated(size_t id, int pid = 0, uint64_t start_time = 0);
  Status MarkRemoved(size_t id);

  std::vector<Resource> Snapshot() const;
  bool AllRemoved() const;
  const std::string& path() const { return path_; }
  const std::string& run_id() const { return run_id_; }
  const std::string& provider() const { return provider_; }
  // Deletes the manifest file (after a complete teardown).
  Status Delete();

 private:
  Manifest(std::string path, std::string run_id, std::string provider)
      : path_(std::move(path)), run_id_(std::move(run_id)), provider_(std::move(provider)) {}
  Status SaveLocked();

  mutable std::mutex mu_;
  std::string path_;
  std::string run_id_;
  std::string provider_;
  std::vector<Resource> resources_;
};

}  // namespace pgha
