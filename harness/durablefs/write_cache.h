// WriteCache: the durable file system's volatile cache (pure, no I/O):
// what was written to each file and not yet fsynced, as non-overlapping
// extents laid over what the backing file holds. It is the disk's cache
// that a power cut empties: fsync takes a file's extents to be written
// through, write-back takes the files dirty for too long (or the oldest,
// past a size), and Cut drops everything, optionally letting a prefix of
// the last write reach the disk (a torn write, whole sectors only).
// Files are keyed by the backing file's inode: the file system keeps a
// descriptor of every dirty file open, so an inode is not reused while
// it has cached data. Not thread-safe: the file system locks around it.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgha {

using FileKey = uint64_t;

struct Extent {
  uint64_t offset = 0;
  std::string data;
  uint64_t end() const { return offset + data.size(); }
};

// Extents of one file to write to its backing file.
struct FileExtents {
  FileKey file = 0;
  std::vector<Extent> extents;
  uint64_t bytes() const;
};

struct WriteCacheOptions {
  uint64_t max_dirty_bytes = 64ull << 20;             // past this the oldest dirty files are written back
  std::chrono::milliseconds write_back_after{30000};  // as the kernel's dirty_expire_centisecs
  uint32_t sector_bytes = 512;                        // a torn write keeps whole sectors
};

// What a power cut did.
struct PowerCut {
  uint64_t dropped_bytes = 0;
  int dropped_files = 0;
  // Torn: the part of the last write still cached that reached the disk
  // anyway (to be written through), and that write's length.
  std::optional<FileExtents> torn;
  uint64_t torn_write_bytes = 0;
};

class WriteCache {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  explicit WriteCache(WriteCacheOptions o = {}) : o_(o) {}

  void Write(FileKey f, uint64_t offset, std::string_view data, TimePoint now);
  // Lays the cached bytes of [offset, offset + size) over `buf`, which holds
  // `read` bytes of the backing file from `offset` (fewer than size at its
  // end); returns how many bytes of buf are the file's (gaps read as zeros).
  size_t Overlay(FileKey f, uint64_t offset, char* buf, size_t size, size_t read) const;
  // The file's size: the backing file's, or further where cached data ends.
  uint64_t Size(FileKey f, uint64_t backing_size) const;
  bool Dirty(FileKey f) const { return files_.count(f) > 0; }
  // For fsync: the file's extents, no longer cached.
  FileExtents Take(FileKey f);
  // Drops the file's cached data unwritten (as Linux does after a failed
  // fsync: the pages are marked clean); returns the bytes dropped.
  uint64_t Discard(FileKey f);
  void Truncate(FileKey f, uint64_t size);
  // Files to write back at `now`: every one dirty past write_back_after,
  // then the oldest until the cache is under max_dirty_bytes.
  std::vector<FileExtents> TakeWriteBack(TimePoint now);
  std::vector<FileExtents> TakeAll();
  // The power cut: everything dropped; with `tear`, a sector-aligned
  // prefix of the most recent write still cached (half of it, rounded down
  // to a sector; none when it lies within one sector) is returned as torn.
  PowerCut Cut(bool tear);

  uint64_t dirty_bytes() const { return bytes_; }
  size_t dirty_files() const { return files_.size(); }
  std::vector<FileKey> DirtyFiles() const;

 private:
  struct File {
    std::map<uint64_t, std::string> extents;  // by offset, non-overlapping
    TimePoint dirtied;
    uint64_t bytes = 0;
  };
  struct LastWrite {
    FileKey file = 0;
    uint64_t offset = 0;
    uint64_t length = 0;
  };
  void Cover(File& file, uint64_t offset, uint64_t end);  // removes what [offset, end) overwrites
  FileExtents Remove(FileKey f);
  // The cached bytes of [offset, end) of a file when all of them are cached.
  std::optional<std::string> Cached(FileKey f, uint64_t offset, uint64_t end) const;

  WriteCacheOptions o_;
  std::map<FileKey, File> files_;
  uint64_t bytes_ = 0;
  std::optional<LastWrite> last_;
};

}  // namespace pgha
