// The durable file system (`pgha-chaos durable-fs`, started by the netns
// provider under a host's data volume): a FUSE pass-through of `backing`
// mounted on `mount`, whose file data is held in its own volatile cache
// (durable_state.h) until fsync, so that a power cut can drop what a
// real disk's cache would lose. Metadata (creates, renames, truncates,
// modes) goes to the backing directory at once: only file data is lazy.
// Served until SIGTERM or SIGINT; the control channel listens on
// `control`, a Unix socket. A clean stop writes the cache back first.
#pragma once

#include <functional>
#include <string>

#include "core/status.h"
#include "durablefs/write_cache.h"

namespace pgha {

struct DurableFsOptions {
  std::string backing;  // the directory that holds the data (the "disk")
  std::string mount;    // where it is mounted
  std::string control;  // the control socket's path
  WriteCacheOptions cache;
};

inline constexpr const char* kDurableFsType = "fuse.pgha-durable";

// Mounts and serves until stopped; `ready` is called once mounted and listening.
Status RunDurableFs(const DurableFsOptions& o, const std::function<void()>& ready);

// Whether `mount` is a mount of ours now (/proc/self/mountinfo).
bool IsDurableFsMounted(const std::string& mount);

}  // namespace pgha
