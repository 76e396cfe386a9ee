#include "durablefs/durable_state.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>

namespace pgha {
namespace {

using Steady = std::chrono::steady_clock;

bool PwriteAll(int fd, const Extent& e) {
  size_t done = 0;
  while (done < e.data.size()) {
    const ssize_t n = pwrite(fd, e.data.data() + done, e.data.size() - done, static_cast<off_t>(e.offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

DurableState::~DurableState() {
  for (const auto& [key, fd] : kept_) close(fd);
}

void DurableState::Counters::Reset() {
  for (auto* c :
       {&reads, &writes, &fsyncs, &written_bytes, &synced_bytes, &eio, &lies, &dropped_bytes, &torn_bytes, &cuts})
    c->store(0);
}

void DurableState::Delay(DiskOp op) {
  double ms = 0;
  {
    std::lock_guard<std::mutex> lock(dice_mu_);
    ms = faults_.DelayMs(op, rng_);
  }
  if (ms > 0) std::this_thread::sleep_for(std::chrono::microseconds(static_cast<int64_t>(ms * 1000)));
}

bool DurableState::Fails(DiskOp op) {
  std::lock_guard<std::mutex> lock(dice_mu_);
  if (!faults_.Fails(op, rng_)) return false;
  ++counters_.eio;
  return true;
}

void DurableState::Forget(FileKey key) {
  if (auto it = kept_.find(key); it != kept_.end()) {
    close(it->second);
    kept_.erase(it);
  }
}

bool DurableState::Persist(const FileExtents& f) {
  auto it = kept_.find(f.file);
  bool ok = f.extents.empty() || it != kept_.end();
  for (const auto& e : f.extents) ok = ok && PwriteAll(it->second, e);
  if (!ok && errno == ENOSPC) full_ = true;
  if (ok && !f.extents.empty()) full_ = false;
  Forget(f.file);
  return ok;
}

ssize_t DurableState::Write(int fd, FileKey key, const char* buf, size_t size, off_t offset, bool sync) {
  Delay(DiskOp::kWrite);
  if (Fails(DiskOp::kWrite)) return -EIO;
  std::lock_guard<std::shared_mutex> lock(mu_);
  ++counters_.writes;
  counters_.written_bytes += size;
  if (!kept_.count(key)) {
    const int kept = dup(fd);
    if (kept < 0) return -errno;
    kept_[key] = kept;
  }
  cache_.Write(key, static_cast<uint64_t>(offset), std::string_view(buf, size), Steady::now());
  // O_SYNC, O_DSYNC: written through; and once a write-back found the disk
  // full, every write is, until one fits (as a file system reserves space at write).
  if ((sync || full_) && !Persist(cache_.Take(key))) return full_ ? -ENOSPC : -EIO;
  if (cache_.dirty_bytes() > 0)
    for (const auto& f : cache_.TakeWriteBack(Steady::now()))
      if (!Persist(f)) failed_.insert(f.file);
  return static_cast<ssize_t>(size);
}

ssize_t DurableState::Read(int fd, FileKey key, char* buf, size_t size, off_t offset) {
  Delay(DiskOp::kRead);
  if (Fails(DiskOp::kRead)) return -EIO;
  std::shared_lock<std::shared_mutex> lock(mu_);
  ++counters_.reads;
  size_t got = 0;
  while (got < size) {
    const ssize_t n = pread(fd, buf + got, size - got, offset + static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -errno;
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  return static_cast<ssize_t>(cache_.Overlay(key, static_cast<uint64_t>(offset), buf, size, got));
}

int DurableState::Fsync(int fd, FileKey key) {
  const auto start = Steady::now();
  Delay(DiskOp::kFsync);
  auto record = [&] { fsync_us_.Add(std::chrono::duration<double, std::micro>(Steady::now() - start).count()); };
  bool fails = false, lies = false;
  {
    std::lock_guard<std::mutex> dice(dice_mu_);
    fails = faults_.Fails(DiskOp::kFsync, rng_);
    lies = faults_.fsync_lies;
  }
  std::unique_lock<std::shared_mutex> lock(mu_);
  ++counters_.fsyncs;
  if (fails) {  // Linux drops the dirty pages of a file whose fsync failed
    ++counters_.eio;
    counters_.dropped_bytes += cache_.Discard(key);
    Forget(key);
    record();
    return -EIO;
  }
  if (lies) {
    ++counters_.lies;
    record();
    return 0;
  }
  const FileExtents taken = cache_.Take(key);
  counters_.synced_bytes += taken.bytes();
  const bool ok = Persist(taken) && !failed_.erase(key);
  lock.unlock();
  const int synced = fdatasync(fd) == 0 ? 0 : -errno;
  lock.lock();
  record();
  return ok ? synced : -EIO;
}

int DurableState::Truncate(FileKey key, off_t size, const std::function<int()>& truncate_backing) {
  std::lock_guard<std::shared_mutex> lock(mu_);
  cache_.Truncate(key, static_cast<uint64_t>(size));
  if (!cache_.Dirty(key)) Forget(key);
  return truncate_backing();
}

uint64_t DurableState::Size(FileKey key, uint64_t backing_size) {
  std::shared_lock<std::shared_mutex> lock(mu_);
  return cache_.Size(key, backing_size);
}

void DurableState::WriteBack() {
  std::lock_guard<std::shared_mutex> lock(mu_);
  for (const auto& f : cache_.TakeWriteBack(Steady::now()))
    if (!Persist(f)) failed_.insert(f.file);
}

void DurableState::SyncAll() {
  std::lock_guard<std::shared_mutex> lock(mu_);
  for (const auto& f : cache_.TakeAll()) {
    counters_.synced_bytes += f.bytes();
    if (!Persist(f)) failed_.insert(f.file);
  }
}

std::map<std::string, std::string> DurableState::Stats() {
  const Counters& c = counters_;
  return {{"reads", std::to_string(c.reads)},
          {"writes", std::to_string(c.writes)},
          {"fsyncs", std::to_string(c.fsyncs)},
          {"written_bytes", std::to_string(c.written_bytes)},
          {"synced_bytes", std::to_string(c.synced_bytes)},
          {"eio", std::to_string(c.eio)},
          {"lies", std::to_string(c.lies)},
          {"dropped_bytes", std::to_string(c.dropped_bytes)},
          {"torn_bytes", std::to_string(c.torn_bytes)},
          {"cuts", std::to_string(c.cuts)},
          {"dirty_bytes", std::to_string(cache_.dirty_bytes())},
          {"dirty_files", std::to_string(cache_.dirty_files())},
          {"fsync_p50_us", fmt::format("{:.0f}", fsync_us_.Percentile(50))},
          {"fsync_p99_us", fmt::format("{:.0f}", fsync_us_.Percentile(99))},
          {"fsync_samples", std::to_string(fsync_us_.count())}};
}

std::string DurableState::Cut(bool tear) {
  PowerCut cut = cache_.Cut(tear);
  uint64_t torn = 0;
  if (cut.torn && Persist(*cut.torn)) torn = cut.torn->bytes();
  for (const auto& [key, fd] : kept_) close(fd);
  kept_.clear();
  failed_.clear();
  ++counters_.cuts;
  counters_.dropped_bytes += cut.dropped_bytes;
  counters_.torn_bytes += torn;
  return FormatReply({{"dropped_bytes", std::to_string(cut.dropped_bytes)},
                      {"dropped_files", std::to_string(cut.dropped_files)},
                      {"torn_bytes", std::to_string(torn)},
                      {"torn_write_bytes", std::to_string(torn ? cut.torn_write_bytes : 0)}});
}

std::string DurableState::Control(const std::string& line) {
  auto request = ParseControlRequest(line);
  if (!request.ok()) return "error " + request.status().message();
  if (request->verb == "sync") {
    SyncAll();
    return "ok";
  }
  std::lock_guard<std::shared_mutex> lock(mu_);
  if (request->verb == "stats") return FormatReply(Stats());
  if (request->verb == "mark") {
    const std::string reply = FormatReply(Stats());
    counters_.Reset();
    fsync_us_.Clear();
    return reply;
  }
  if (request->verb == "cut") return Cut(request->args.count("tear") && request->args.at("tear") == "1");
  std::lock_guard<std::mutex> dice(dice_mu_);
  if (Status s = faults_.Apply(*request); !s.ok()) return "error " + s.message();
  return "ok";
}

}  // namespace pgha
