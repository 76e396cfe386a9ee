#include "durablefs/write_cache.h"

#include <algorithm>
#include <cstring>

namespace pgha {

uint64_t FileExtents::bytes() const {
  uint64_t n = 0;
  for (const auto& e : extents) n += e.data.size();
  return n;
}

void WriteCache::Cover(File& file, uint64_t offset, uint64_t end) {
  auto it = file.extents.lower_bound(offset);
  if (it != file.extents.begin()) {
    auto prev = std::prev(it);
    const uint64_t prev_end = prev->first + prev->second.size();
    if (prev_end > offset) {  // it reaches into [offset, end): its tail past `end` survives
      if (prev_end > end) file.extents.emplace(end, prev->second.substr(end - prev->first));
      file.bytes -= std::min(prev_end, end) - offset;
      prev->second.resize(offset - prev->first);
    }
  }
  it = file.extents.lower_bound(offset);
  while (it != file.extents.end() && it->first < end) {
    const uint64_t e_end = it->first + it->second.size();
    if (e_end > end) {
      file.extents.emplace(end, it->second.substr(end - it->first));
      file.bytes -= end - it->first;
    } else {
      file.bytes -= it->second.size();
    }
    it = file.extents.erase(it);
  }
}

void WriteCache::Write(FileKey f, uint64_t offset, std::string_view data, TimePoint now) {
  if (data.empty()) return;
  auto [pos, fresh] = files_.try_emplace(f);
  File& file = pos->second;
  if (fresh) file.dirtied = now;
  last_ = LastWrite{f, offset, data.size()};
  const uint64_t end = offset + data.size();
  auto it = file.extents.upper_bound(offset);
  if (it != file.extents.begin()) {  // inside one cached extent: overwritten in place
    auto prev = std::prev(it);
    if (prev->first + prev->second.size() >= end) {
      prev->second.replace(offset - prev->first, data.size(), data);
      return;
    }
  }
  const uint64_t before = file.bytes;
  Cover(file, offset, end);
  it = file.extents.lower_bound(offset);
  std::string* joined = nullptr;
  if (it != file.extents.begin()) {  // joined to the extent that ends where this starts, appended in place
    auto prev = std::prev(it);
    if (prev->first + prev->second.size() == offset) joined = &prev->second;
  }
  if (!joined) joined = &file.extents.emplace(offset, std::string()).first->second;
  joined->append(data);
  file.bytes += data.size();
  if (auto next = file.extents.find(end); next != file.extents.end()) {  // and to the one that starts where it ends
    joined->append(next->second);
    file.extents.erase(next);
  }
  bytes_ = bytes_ - before + file.bytes;
}

size_t WriteCache::Overlay(FileKey f, uint64_t offset, char* buf, size_t size, size_t read) const {
  auto pos = files_.find(f);
  if (pos == files_.end() || pos->second.extents.empty() || size == 0) return read;
  const auto& extents = pos->second.extents;
  // A read short of `size` met the backing file's end; the cache may reach further.
  const uint64_t file_end = std::max<uint64_t>(offset + read, Size(f, 0));
  const size_t n = file_end > offset ? static_cast<size_t>(std::min<uint64_t>(size, file_end - offset)) : 0;
  if (n > read) std::memset(buf + read, 0, n - read);
  const uint64_t end = offset + n;
  auto it = extents.upper_bound(offset);
  if (it != extents.begin()) --it;
  for (; it != extents.end() && it->first < end; ++it) {
    const uint64_t e_end = it->first + it->second.size();
    if (e_end <= offset) continue;
    const uint64_t from = std::max(it->first, offset);
    const uint64_t to = std::min(e_end, end);
    std::memcpy(buf + (from - offset), it->second.data() + (from - it->first), to - from);
  }
  return n;
}

uint64_t WriteCache::Size(FileKey f, uint64_t backing_size) const {
  auto pos = files_.find(f);
  if (pos == files_.end() || pos->second.extents.empty()) return backing_size;
  const auto& last = *pos->second.extents.rbegin();
  return std::max<uint64_t>(backing_size, last.first + last.second.size());
}

FileExtents WriteCache::Remove(FileKey f) {
  FileExtents out{f, {}};
  auto pos = files_.find(f);
  if (pos == files_.end()) return out;
  for (auto& [offset, data] : pos->second.extents) out.extents.push_back({offset, std::move(data)});
  bytes_ -= pos->second.bytes;
  files_.erase(pos);
  if (last_ && last_->file == f) last_.reset();
  return out;
}

FileExtents WriteCache::Take(FileKey f) { return Remove(f); }

uint64_t WriteCache::Discard(FileKey f) { return Remove(f).bytes(); }

void WriteCache::Truncate(FileKey f, uint64_t size) {
  auto pos = files_.find(f);
  if (pos == files_.end()) return;
  File& file = pos->second;
  const uint64_t before = file.bytes;
  Cover(file, size, UINT64_MAX);
  bytes_ = bytes_ - before + file.bytes;
  if (file.extents.empty()) Remove(f);
}

std::vector<FileExtents> WriteCache::TakeWriteBack(TimePoint now) {
  std::vector<FileExtents> out;
  std::vector<std::pair<TimePoint, FileKey>> by_age;
  for (const auto& [key, file] : files_) by_age.push_back({file.dirtied, key});
  std::sort(by_age.begin(), by_age.end());
  for (const auto& [dirtied, key] : by_age)
    if (now - dirtied >= o_.write_back_after || bytes_ > o_.max_dirty_bytes) out.push_back(Remove(key));
  return out;
}

std::vector<FileExtents> WriteCache::TakeAll() {
  std::vector<FileExtents> out;
  while (!files_.empty()) out.push_back(Remove(files_.begin()->first));
  return out;
}

std::optional<std::string> WriteCache::Cached(FileKey f, uint64_t offset, uint64_t end) const {
  auto pos = files_.find(f);
  if (pos == files_.end() || end <= offset) return std::nullopt;
  auto it = pos->second.extents.upper_bound(offset);
  if (it == pos->second.extents.begin()) return std::nullopt;
  --it;  // extents are joined when they touch: one extent holds the whole range or it is not all cached
  if (it->first + it->second.size() < end) return std::nullopt;
  return it->second.substr(offset - it->first, end - offset);
}

PowerCut WriteCache::Cut(bool tear) {
  PowerCut cut;
  if (tear && last_) {
    const uint64_t sector = std::max<uint32_t>(o_.sector_bytes, 1);
    const uint64_t half = last_->offset + last_->length / 2;
    const uint64_t boundary = half / sector * sector;
    if (boundary > last_->offset)
      if (auto kept = Cached(last_->file, last_->offset, boundary)) {
        cut.torn = FileExtents{last_->file, {Extent{last_->offset, std::move(*kept)}}};
        cut.torn_write_bytes = last_->length;
      }
  }
  cut.dropped_files = static_cast<int>(files_.size());
  cut.dropped_bytes = bytes_ - (cut.torn ? cut.torn->bytes() : 0);
  files_.clear();
  bytes_ = 0;
  last_.reset();
  return cut;
}

std::vector<FileKey> WriteCache::DirtyFiles() const {
  std::vector<FileKey> out;
  for (const auto& [key, file] : files_) out.push_back(key);
  return out;
}

}  // namespace pgha
