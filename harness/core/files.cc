#include "core/files.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>

namespace pgha {
namespace fs = std::filesystem;

Result<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Failed("cannot read " + path);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

namespace {

// Standard input once ReadStandardInput has read it.
std::optional<std::string>& StandardInput() {
  static std::optional<std::string> text;
  return text;
}

const char* FileKind(mode_t m) {
  if (S_ISDIR(m)) return "a folder";
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISFIFO(m)) return "a named pipe";
  if (S_ISSOCK(m)) return "a socket";
  return "not a regular file";
}

Status TooLarge(const std::string& name, uint64_t limit) {
  return InvalidInput(
      fmt::format("{}: larger than {} MiB, the most an input file may be: is it the right file?", name, limit >> 20));
}

// Everything `fd` holds, or an error once it passes `limit` bytes (a file
// can grow while it is read; standard input has no size to ask first).
Result<std::string> ReadBounded(int fd, const std::string& name, uint64_t limit) {
  std::string text;
  char buf[65536];
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return InvalidInput(fmt::format("{}: cannot read it: {}", name, std::strerror(errno)));
    if (n == 0) return text;
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > limit) return TooLarge(name, limit);
  }
}

}  // namespace

Status ReadStandardInput(uint64_t limit) {
  auto text = ReadBounded(STDIN_FILENO, kStandardInputName, limit);
  if (!text.ok()) return text.status();
  StandardInput() = std::move(*text);
  return Status::Ok();
}

Result<std::string> ReadInputFile(const std::string& path, uint64_t limit) {
  if (path == kStandardInputName && StandardInput()) return *StandardInput();
  // O_NONBLOCK: opening a named pipe must not wait for a writer; it is refused below.
  const int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return InvalidInput(fmt::format("{}: cannot read it: {}", path, std::strerror(errno)));
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return InvalidInput(
        fmt::format("{}: {}, not a file pgha-chaos reads: name a regular file", path, FileKind(st.st_mode)));
  }
  if (static_cast<uint64_t>(st.st_size) > limit) {
    close(fd);
    return TooLarge(path, limit);
  }
  auto text = ReadBounded(fd, path, limit);
  close(fd);
  return text;
}

namespace {
// The temporary of a replacement is `path`.tmp: a write killed halfway
// leaves it, and the next write of that path takes it over (cleanup of a
// killed run finds nothing else). Threads of one process (run --jobs
// write the same shared files) take turns.
std::string TemporaryBeside(const std::string& path) { return path + ".tmp"; }
std::mutex& ReplacementLock() {
  static std::mutex lock;
  return lock;
}
}  // namespace

Status ReplaceWithLink(const std::string& path, const std::string& target) {
  std::lock_guard<std::mutex> one_at_a_time(ReplacementLock());
  const std::string tmp = TemporaryBeside(path);
  unlink(tmp.c_str());
  if (symlink(target.c_str(), tmp.c_str()) != 0)
    return Failed(fmt::format("cannot link {} to {}: {}", tmp, target, std::strerror(errno)));
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    unlink(tmp.c_str());
    return Failed(fmt::format("cannot rename {} to {}: {}", tmp, path, std::strerror(err)));
  }
  return Status::Ok();
}

Status WriteFileAtomic(const std::string& path, const std::string& content, mode_t mode) {
  std::lock_guard<std::mutex> one_at_a_time(ReplacementLock());
  const std::string tmp = TemporaryBeside(path);
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Failed(fmt::format("cannot write {}: {}", tmp, std::strerror(errno)));
  fchmod(fd, mode);
  // A failure (a full filesystem, most often) removes the temporary and says why.
  auto failed = [&](const char* what) {
    const int err = errno;
    if (fd >= 0) close(fd);
    unlink(tmp.c_str());
    return Failed(fmt::format("cannot {} {}: {}", what, tmp, std::strerror(err)));
  };
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return failed("write");
    done += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0) return failed("sync");
  const int closed = close(fd);
  fd = -1;
  if (closed != 0) return failed("close");
  if (rename(tmp.c_str(), path.c_str()) != 0) return failed("rename");
  return Status::Ok();
}

Status CheckWritableFolder(const std::string& dir, size_t bytes) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Failed(fmt::format("cannot create {}: {}", dir, ec.message()));
  const std::string probe = dir + "/.pgha-write-probe";
  Status s = WriteFileAtomic(probe, std::string(bytes, '\n'));
  unlink(probe.c_str());
  if (!s.ok()) return Failed(fmt::format("cannot write {} MiB into {}: {}", bytes >> 20, dir, s.message()));
  return Status::Ok();
}

std::string RandomHex(size_t bytes) {
  std::random_device rd;  // /dev/urandom on Linux
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < bytes; ++i) {
    unsigned v = rd() & 0xff;
    out += kHex[v >> 4];
    out += kHex[v & 15];
  }
  return out;
}

Status ChownRecursive(const std::string& path, const std::string& user) {
  struct passwd* pw = getpwnam(user.c_str());
  if (pw == nullptr) return EnvironmentError("no user '" + user + "' (install postgresql-15: run tools/setup.sh)");
  std::error_code ec;
  if (lchown(path.c_str(), pw->pw_uid, pw->pw_gid) != 0) return Failed("cannot chown " + path);
  if (fs::is_directory(path, ec))
    for (const auto& e : fs::recursive_directory_iterator(path, ec))
      if (lchown(e.path().c_str(), pw->pw_uid, pw->pw_gid) != 0) return Failed("cannot chown " + e.path().string());
  return Status::Ok();
}

Status WriteKernelFile(const std::string& path, const std::string& content) {
  FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) return Failed(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  const bool written = std::fputs(content.c_str(), f) >= 0;
  const bool closed = std::fclose(f) == 0;
  if (!written || !closed) return Failed(fmt::format("{} refused \"{}\": {}", path, content, std::strerror(errno)));
  return Status::Ok();
}

Status AppendToFile(const std::string& path, const std::string& content) {
  FILE* f = std::fopen(path.c_str(), "a");
  if (f == nullptr) return Failed(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  const bool written = std::fwrite(content.data(), 1, content.size(), f) == content.size();
  const bool closed = std::fclose(f) == 0;
  if (!written || !closed) return Failed(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  return Status::Ok();
}

Status CheckWritableFile(const std::string& path, const std::string& option) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(path, ec))
    return InvalidInput(option + " " + path + " is a folder: name a file in it, e.g. " + path + "/out");
  const auto parent = fs::path(path).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec))
    return InvalidInput(option + " " + path + ": the folder " + parent.string() + " does not exist (create it first)");
  const std::string probe = fs::exists(path, ec) ? path : (parent.empty() ? std::string(".") : parent.string());
  if (access(probe.c_str(), W_OK) != 0)
    return InvalidInput(option + " " + path + " cannot be written (a read-only folder, or no permission)");
  return Status::Ok();
}

std::string ThisProgram() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? "/proc/self/exe" : p.string();
}

}  // namespace pgha
