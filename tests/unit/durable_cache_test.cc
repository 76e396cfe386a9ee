// The durable file system's pure parts: the cache of unsynced data
// (written, read over the backing file, fsynced, written back, dropped,
// torn) and the control channel's words and disk faults. No mount.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "durablefs/control_protocol.h"
#include "durablefs/write_cache.h"

namespace pgha {
namespace {

using Steady = std::chrono::steady_clock;
const Steady::time_point kT0{};

std::string Read(const WriteCache& c, FileKey f, uint64_t offset, size_t size, const std::string& backing) {
  std::string buf(size, '?');
  const size_t from_backing = offset < backing.size() ? std::min(size, backing.size() - offset) : 0;
  backing.copy(buf.data(), from_backing, offset);
  buf.resize(c.Overlay(f, offset, buf.data(), size, from_backing));
  return buf;
}

TEST(WriteCache, ReadsShowCachedBytesOverTheBackingFileAndZerosInGaps) {
  WriteCache c;
  c.Write(1, 2, "bb", kT0);
  c.Write(1, 8, "cc", kT0);
  EXPECT_EQ(Read(c, 1, 0, 6, "aaaa"), std::string("aabb") + std::string(2, '\0'));  // the file is 10 bytes now
  EXPECT_EQ(Read(c, 1, 0, 16, "aaaa"), std::string("aabb") + std::string(4, '\0') + "cc");
  EXPECT_EQ(c.Size(1, 4), 10u);
  EXPECT_EQ(c.Size(2, 4), 4u);
  EXPECT_EQ(Read(c, 2, 0, 8, "aaaa"), "aaaa");
}

TEST(WriteCache, ANewerWriteWinsAndTheBytesCountTheUnion) {
  WriteCache c;
  c.Write(1, 0, "xxxxxxxx", kT0);
  c.Write(1, 2, "yy", kT0);
  c.Write(1, 6, "zzzz", kT0);
  EXPECT_EQ(c.dirty_bytes(), 10u);
  EXPECT_EQ(Read(c, 1, 0, 10, ""), "xxyyxxzzzz");
  auto taken = c.Take(1);
  ASSERT_EQ(taken.extents.size(), 1u);  // touching extents are one
  EXPECT_EQ(taken.extents[0].data, "xxyyxxzzzz");
  EXPECT_EQ(c.dirty_bytes(), 0u);
  EXPECT_FALSE(c.Dirty(1));
}

TEST(WriteCache, APowerCutDropsEverythingNotFsynced) {
  WriteCache c;
  c.Write(1, 0, std::string(4096, 'a'), kT0);
  c.Write(2, 0, std::string(100, 'b'), kT0);
  auto synced = c.Take(1);
  EXPECT_EQ(synced.bytes(), 4096u);
  c.Write(1, 4096, std::string(10, 'c'), kT0);
  const PowerCut cut = c.Cut(false);
  EXPECT_EQ(cut.dropped_bytes, 110u);
  EXPECT_EQ(cut.dropped_files, 2);
  EXPECT_FALSE(cut.torn);
  EXPECT_EQ(c.dirty_bytes(), 0u);
  EXPECT_EQ(Read(c, 1, 0, 8, "keep"), "keep");
}

TEST(WriteCache, ATornWriteKeepsWholeSectorsOfTheLastWritesFirstHalf) {
  WriteCache c;
  c.Write(1, 0, std::string(512, 'o'), kT0);
  c.Write(1, 8192, std::string(8192, 'n'), kT0);
  const PowerCut cut = c.Cut(true);
  ASSERT_TRUE(cut.torn);
  EXPECT_EQ(cut.torn->file, 1u);
  ASSERT_EQ(cut.torn->extents.size(), 1u);
  EXPECT_EQ(cut.torn->extents[0].offset, 8192u);
  EXPECT_EQ(cut.torn->extents[0].data, std::string(4096, 'n'));
  EXPECT_EQ(cut.torn_write_bytes, 8192u);
  EXPECT_EQ(cut.dropped_bytes, 512u + 4096u);
}

TEST(WriteCache, NoTearWithinOneSectorOrAfterTheLastWriteWasSynced) {
  WriteCache a;
  a.Write(1, 100, std::string(300, 'x'), kT0);  // 100..400: no sector boundary inside its first half
  EXPECT_FALSE(a.Cut(true).torn);
  WriteCache b;
  b.Write(1, 0, std::string(4096, 'x'), kT0);
  b.Take(1);
  EXPECT_FALSE(b.Cut(true).torn);
}

TEST(WriteCache, TruncateCutsCachedDataPastTheNewEnd) {
  WriteCache c;
  c.Write(1, 0, "0123456789", kT0);
  c.Truncate(1, 4);
  EXPECT_EQ(c.dirty_bytes(), 4u);
  EXPECT_EQ(c.Size(1, 0), 4u);
  c.Truncate(1, 0);
  EXPECT_FALSE(c.Dirty(1));
}

TEST(WriteCache, WriteBackTakesFilesDirtyTooLongThenTheOldestPastTheCap) {
  WriteCacheOptions o;
  o.write_back_after = std::chrono::seconds(30);
  o.max_dirty_bytes = 150;
  WriteCache c(o);
  c.Write(1, 0, std::string(100, 'a'), kT0);
  c.Write(2, 0, std::string(40, 'b'), kT0 + std::chrono::seconds(10));
  EXPECT_TRUE(c.TakeWriteBack(kT0 + std::chrono::seconds(20)).empty());
  auto aged = c.TakeWriteBack(kT0 + std::chrono::seconds(31));
  ASSERT_EQ(aged.size(), 1u);
  EXPECT_EQ(aged[0].file, 1u);
  c.Write(3, 0, std::string(200, 'c'), kT0 + std::chrono::seconds(32));  // 240 bytes: past the cap
  auto over = c.TakeWriteBack(kT0 + std::chrono::seconds(33));
  ASSERT_GE(over.size(), 1u);
  EXPECT_EQ(over[0].file, 2u);  // the oldest first
  EXPECT_LE(c.dirty_bytes(), 200u);
}

TEST(WriteCache, DiscardDropsAFilesDataUnwritten) {
  WriteCache c;
  c.Write(1, 0, "abc", kT0);
  EXPECT_EQ(c.Discard(1), 3u);
  EXPECT_EQ(c.dirty_bytes(), 0u);
}

TEST(ControlProtocol, RequestsRoundTripAndBadOnesAreRefused) {
  auto r = ParseControlRequest("latency ms=50 ops=fsync");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->verb, "latency");
  EXPECT_EQ(r->args.at("ms"), "50");
  EXPECT_EQ(ParseControlRequest(r->Format())->args, r->args);
  EXPECT_FALSE(ParseControlRequest("").ok());
  EXPECT_FALSE(ParseControlRequest("format disk").ok());
  EXPECT_FALSE(ParseControlRequest("latency =5").ok());
  auto reply = ParseControlReply("ok dropped_bytes=12 torn_bytes=0");
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->at("dropped_bytes"), "12");
  EXPECT_FALSE(ParseControlReply("error no such verb").ok());
  EXPECT_FALSE(ParseControlReply("garbage").ok());
}

TEST(ControlProtocol, DiskFaultsSwitchOnAndOff) {
  DiskFaults d;
  std::mt19937_64 rng(1);
  ASSERT_TRUE(d.Apply(*ParseControlRequest("lie on=1")).ok());
  EXPECT_TRUE(d.fsync_lies);
  ASSERT_TRUE(d.Apply(*ParseControlRequest("lie on=0")).ok());
  EXPECT_FALSE(d.fsync_lies);
  ASSERT_TRUE(d.Apply(*ParseControlRequest("errors share=1 ops=fsync")).ok());
  EXPECT_TRUE(d.Fails(DiskOp::kFsync, rng));
  EXPECT_FALSE(d.Fails(DiskOp::kWrite, rng));
  ASSERT_TRUE(d.Apply(*ParseControlRequest("errors off")).ok());
  EXPECT_FALSE(d.Fails(DiskOp::kFsync, rng));
  ASSERT_TRUE(d.Apply(*ParseControlRequest("latency ms=20 ops=write")).ok());
  EXPECT_DOUBLE_EQ(d.DelayMs(DiskOp::kWrite, rng), 20);
  EXPECT_DOUBLE_EQ(d.DelayMs(DiskOp::kRead, rng), 0);
  EXPECT_FALSE(d.Apply(*ParseControlRequest("errors share=2")).ok());
  EXPECT_FALSE(d.Apply(*ParseControlRequest("latency ms=x")).ok());
  EXPECT_FALSE(d.Apply(*ParseControlRequest("latency ms=5 ops=seek")).ok());
  EXPECT_FALSE(d.Apply(*ParseControlRequest("stats")).ok());
}

TEST(ControlProtocol, LatencySamplesGivePercentiles) {
  LatencySamples s;
  EXPECT_EQ(s.Percentile(50), 0);
  for (int i = 1; i <= 100; ++i) s.Add(i);
  EXPECT_NEAR(s.Percentile(50), 50, 1);
  EXPECT_NEAR(s.Percentile(99), 99, 1);
  EXPECT_EQ(s.count(), 100u);
}

}  // namespace
}  // namespace pgha
