// Manifest: the ledger of everything a run creates on the machine, written
// to disk *before* each thing is created (state "planned") and updated
// after ("created", with a pid and start time for processes). `down`,
// Ctrl-C handling and `pgha-chaos cleanup` all tear down from it, so a run
// killed with SIGKILL at any moment can still be removed completely.
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

enum class ResourceKind { kDirectory, kBridge, kNetns, kVeth, kProcess, kMount, kIptablesRule };
enum class ResourceState { kPlanned, kCreated, kRemoved };

struct Resource {
  ResourceKind kind = ResourceKind::kDirectory;
  std::string name;               // path, link or namespace name, or "etcd@node1"
  std::string netns;              // processes and rules: the namespace they live in
  std::vector<std::string> args;  // iptables: the rule (after -A/-I CHAIN); mount: fs type and options
  int pid = 0;
  uint64_t start_time = 0;
  ResourceState state = ResourceState::kPlanned;

  static Resource Of(ResourceKind kind, std::string name, std::string netns = "") {
    Resource r;
    r.kind = kind;
    r.name = std::move(name);
    r.netns = std::move(netns);
    return r;
  }
};

std::string KindName(ResourceKind k);

class Manifest {
 public:
  // Creates a new manifest file; fails if one exists at `path`.
  static Result<std::unique_ptr<Manifest>> Create(const std::string& path, const std::string& run_id);
  static Result<std::unique_ptr<Manifest>> Open(const std::string& path);

  // Persists the resource as planned; returns its id.
  Result<size_t> Record(Resource r);
  Status MarkCreated(size_t id, int pid = 0, uint64_t start_time = 0);
  Status MarkRemoved(size_t id);

  std::vector<Resource> Snapshot() const;
  bool AllRemoved() const;
  const std::string& path() const { return path_; }
  const std::string& run_id() const { return run_id_; }
  // Deletes the manifest file (after a complete teardown).
  Status Delete();

 private:
  Manifest(std::string path, std::string run_id) : path_(std::move(path)), run_id_(std::move(run_id)) {}
  Status SaveLocked();

  mutable std::mutex mu_;
  std::string path_;
  std::string run_id_;
  std::vector<Resource> resources_;
};

}  // namespace pgha
