// DurableState: what the durable file system does with file data, apart
// from FUSE (durable_fs.h mounts it): writes go to the WriteCache, reads
// lay it over the backing file, fsync writes a file's cached extents to
// the backing file (the "disk"), write-back does so for files dirty too
// long, and the control channel (control_protocol.h) cuts the power,
// makes fsync lie, delays operations or fails them with EIO. A failed
// fsync drops the file's cached data, as Linux does (the pages are marked
// clean), and a write-back that could not write reports EIO at the next
// fsync; once a write-back finds the disk full, writes go through (and
// fail with ENOSPC) until one fits. Thread-safe: one lock around the cache
// and the backing files, shared by reads; injected delays are slept outside it.
// Operations return -errno on failure.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <shared_mutex>
#include <string>

#include "durablefs/control_protocol.h"
#include "durablefs/write_cache.h"

namespace pgha {

class DurableState {
 public:
  explicit DurableState(WriteCacheOptions o = {}) : cache_(o), rng_(std::random_device{}()) {}
  ~DurableState();

  ssize_t Write(int fd, FileKey key, const char* buf, size_t size, off_t offset, bool sync);
  ssize_t Read(int fd, FileKey key, char* buf, size_t size, off_t offset);
  int Fsync(int fd, FileKey key);
  int Truncate(FileKey key, off_t size, const std::function<int()>& truncate_backing);
  // The size a file shows: its backing size or further where cached data ends.
  uint64_t Size(FileKey key, uint64_t backing_size);
  // Writes back the files dirty past the cache's limits (a thread calls it often).
  void WriteBack();
  // Writes and syncs everything cached (a clean unmount).
  void SyncAll();
  // Runs one control request; the reply line.
  std::string Control(const std::string& line);

 private:
  struct Counters {  // atomic: reads count under the shared lock
    std::atomic<uint64_t> reads{0}, writes{0}, fsyncs{0}, written_bytes{0}, synced_bytes{0}, eio{0}, lies{0};
    std::atomic<uint64_t> dropped_bytes{0}, torn_bytes{0}, cuts{0};
    void Reset();
  };
  void Delay(DiskOp op);
  bool Fails(DiskOp op);
  // Writes extents to the file's kept descriptor and closes it (lock held); false on a write error.
  bool Persist(const FileExtents& f);
  void Forget(FileKey key);  // closes the kept descriptor (lock held)
  std::map<std::string, std::string> Stats();
  std::string Cut(bool tear);

  std::shared_mutex mu_;  // the cache and the backing files: reads share it
  WriteCache cache_;
  std::map<FileKey, int> kept_;  // a descriptor of each dirty file, so its inode outlives an unlink
  std::set<FileKey> failed_;     // write-back errors that the next fsync reports
  bool full_ = false;            // a write-back met ENOSPC: writes go through until one fits
  std::mutex dice_mu_;           // the disk faults and their dice, apart from mu_ (taken after it when both are)
  DiskFaults faults_;
  std::mt19937_64 rng_;
  Counters counters_;
  LatencySamples fsync_us_;
};

}  // namespace pgha
