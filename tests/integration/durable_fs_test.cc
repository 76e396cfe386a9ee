// The durable file system mounted by the netns provider under a host's data
// volume (the compact topology's hosts, data_fs: pgha, no service started):
// what was written through the mount and fsynced survives a power cut, what
// was not is gone; a torn write leaves whole sectors of the last write; a
// full volume says ENOSPC; a SIGKILLed file system daemon leaves no hung
// mount after teardown.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "durablefs/control_client.h"
#include "durablefs/durable_fs.h"
#include "integration/hosts_only.h"

namespace pgha::itest {
namespace {

class DurableFsTest : public HostsOnlyTest {
 protected:
  DurableFsTest() : HostsOnlyTest("durable-fs", "df") {}
  void Shape(Topology& t) override {
    t.data_volume = 256ull << 20;
    t.data_fs = "pgha";
  }
  const HostPlan& Node1() { return *plan_.Find("node1"); }
  std::string Path(const std::string& name) { return DataVolumeDir(Node1()) + "/" + name; }
  void WriteAt(int fd, char c, size_t n, off_t at) {
    const std::string data(n, c);
    ASSERT_EQ(pwrite(fd, data.data(), n, at), static_cast<ssize_t>(n));
  }
  std::string ReadAll(const std::string& path) {
    auto text = ReadTextFile(path);
    return text.ok() ? *text : "(unreadable: " + text.status().message() + ")";
  }
  std::map<std::string, std::string> Cut(bool tear) {
    ControlRequest r{"cut", {}};
    if (tear) r.args["tear"] = "1";
    auto reply = SendControl(DurableFsControl(Node1()), r);
    EXPECT_TRUE(reply.ok()) << reply.status().message();
    return reply.ok() ? *reply : std::map<std::string, std::string>{};
  }
};

TEST_F(DurableFsTest, APowerCutLeavesExactlyWhatWasFsynced) {
  if (IsSkipped()) return;
  const int fd = open(Path("f").c_str(), O_CREAT | O_RDWR, 0600);
  ASSERT_GE(fd, 0);
  WriteAt(fd, 'a', 8192, 0);
  ASSERT_EQ(fsync(fd), 0);
  WriteAt(fd, 'b', 4096, 8192);
  WriteAt(fd, 'c', 100, 0);  // over synced data: the disk keeps the 'a's
  close(fd);
  struct stat st {};
  ASSERT_EQ(stat(Path("f").c_str(), &st), 0);
  EXPECT_EQ(st.st_size, 12288) << "the cache shows through the mount";
  EXPECT_EQ(ReadAll(Path("f")), std::string(100, 'c') + std::string(8092, 'a') + std::string(4096, 'b'));
  const auto cut = Cut(false);
  EXPECT_EQ(cut.at("dropped_bytes"), "4196");
  EXPECT_EQ(cut.at("dropped_files"), "1");
  EXPECT_EQ(ReadAll(Path("f")), std::string(8192, 'a')) << "after the cut, exactly the fsynced part";
  EXPECT_EQ(ReadAll(VolumeMountDir(Node1()) + "/f"), std::string(8192, 'a')) << "and on the backing volume";
}

// A replica's startup process reads its WAL while its WAL receiver appends
// to it through another descriptor; with the kernel's page cache between
// them it once read zeros where data had been written.
TEST_F(DurableFsTest, AReaderWithTheFileOpenSeesEveryAppendOfAnotherWriter) {
  if (IsSkipped()) return;
  const int writer = open(Path("wal").c_str(), O_CREAT | O_RDWR, 0600);
  ASSERT_GE(writer, 0);
  WriteAt(writer, '\0', 1 << 20, 0);
  ASSERT_EQ(fsync(writer), 0);
  const int reader = open(Path("wal").c_str(), O_RDONLY);
  ASSERT_GE(reader, 0);
  std::string page(8192, '?');
  int stale = 0;
  for (off_t at = 0; at + 300 < (1 << 20); at += 251) {
    WriteAt(writer, 'x', 251, at);
    ASSERT_EQ(pread(reader, page.data(), page.size(), at / 8192 * 8192), 8192);
    stale += page[at % 8192] != 'x';
  }
  EXPECT_EQ(stale, 0) << "reads after a write saw the old bytes";
  close(reader);
  close(writer);
}

TEST_F(DurableFsTest, ATornWriteKeepsWholeSectorsOfTheLastWrite) {
  if (IsSkipped()) return;
  const int fd = open(Path("wal").c_str(), O_CREAT | O_RDWR, 0600);
  ASSERT_GE(fd, 0);
  WriteAt(fd, 'w', 8192, 0);
  close(fd);
  const auto cut = Cut(true);
  EXPECT_EQ(cut.at("torn_bytes"), "4096");
  EXPECT_EQ(cut.at("torn_write_bytes"), "8192");
  EXPECT_EQ(ReadAll(Path("wal")), std::string(4096, 'w'));
}

TEST_F(DurableFsTest, AFullVolumeRefusesWritesWithEnospcLikeAnyFileSystem) {
  if (IsSkipped()) return;
  auto filled = provider_->Files().FillFilesystem(Node1(), Path("ballast"), *manifest_);
  ASSERT_TRUE(filled.ok()) << filled.status().message();
  EXPECT_GT(*filled, 200ull << 20);
  const int fd = open(Path("more").c_str(), O_CREAT | O_WRONLY, 0600);
  ASSERT_GE(fd, 0);
  const std::string chunk(1 << 20, 'm');
  ssize_t n = 0;
  for (int i = 0; i < 100 && (n = write(fd, chunk.data(), chunk.size())) > 0; ++i) {}
  EXPECT_EQ(n, -1);
  EXPECT_EQ(errno, ENOSPC);
  close(fd);
}

TEST_F(DurableFsTest, AKilledDaemonLeavesNoHungMountAfterTeardown) {
  if (IsSkipped()) return;
  ASSERT_TRUE(IsDurableFsMounted(DataVolumeDir(Node1()))) << "the mount is live before the kill";
  auto pids = LiveDaemonPids(*manifest_, DurableFsDaemon(Node1()), provider_->Shell(), Node1());
  ASSERT_EQ(pids.size(), 1u);
  ASSERT_TRUE(provider_->Shell().Signal(Node1(), pids[0], SIGKILL));
  struct stat st {};
  for (int i = 0; i < 100 && stat(Path("").c_str(), &st) == 0; ++i) usleep(20000);
  EXPECT_NE(stat(Path("").c_str(), &st), 0) << "the mount is dead: Transport endpoint is not connected";
  ExpectTeardownLeavesNothing();
}

}  // namespace
}  // namespace pgha::itest
