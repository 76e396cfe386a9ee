#include "watchdog/emulated_watchdog.h"

#include <fcntl.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/text.h"

namespace pgha {

void WatchdogTimer::Feed(const std::string& bytes, TimePoint now) {
  if (bytes.empty()) return;
  armed_ = true;  // every write pings, and opening the device started it
  last_ping_ = now;
  for (char c : bytes) {
    if (!pending_.empty() || c == 'C') {
      if (c == '\n') {
        const std::string command = pending_;
        pending_.clear();
        if (command.rfind("Ctimeout=", 0) == 0)
          if (auto s = ParseInt(command.substr(9)); s && *s > 0) timeout_ = std::chrono::seconds(*s);
      } else {
        pending_ += c;
      }
      continue;
    }
    magic_close_ = c == 'V';
  }
}

void WatchdogTimer::Closed() {
  if (magic_close_) armed_ = false;  // a clean close: the watchdog stops
  magic_close_ = false;
  pending_.clear();
}

bool WatchdogTimer::Expired(TimePoint now) {
  if (!armed_ || now - last_ping_ < timeout_) return false;
  armed_ = false;
  return true;
}

void RunWatchdog(WatchdogIo& io, Clock& clock, const WatchdogOptions& o, const std::atomic<bool>& stop) {
  WatchdogTimer timer;
  io.Log("emulated watchdog ready");
  while (!stop.load()) {
    auto bytes = io.Read();
    const TimePoint now = clock.Now();
    if (!bytes) {
      const bool was_armed = timer.armed();
      timer.Closed();
      if (was_armed)
        io.Log(timer.armed() ? "device closed without \"V\": still armed" : "device closed cleanly: disarmed");
    } else if (!bytes->empty()) {
      const bool was_armed = timer.armed();
      const Duration before = timer.timeout();
      timer.Feed(*bytes, now);
      if (!was_armed) io.Log("armed");
      if (timer.timeout() != before) io.Log(fmt::format("timeout {}s", ToSeconds(timer.timeout())));
    }
    if (timer.Expired(now)) {
      auto killed = io.Fence();
      const std::string what = killed.ok() ? fmt::format("no keepalive for {:.0f}s: fenced, {} processes killed",
                                                         ToSeconds(timer.timeout()), *killed)
                                           : "no keepalive: fencing failed: " + killed.status().message();
      io.Log(what);
      io.MarkFenced(what);
    }
    clock.SleepFor(o.tick);
  }
}

namespace {

uint64_t NetnsInode(const std::string& pid) {
  struct stat st {};
  if (stat(("/proc/" + pid + "/ns/net").c_str(), &st) != 0) return 0;
  return st.st_ino;
}

class NamespaceWatchdogIo : public WatchdogIo {
 public:
  NamespaceWatchdogIo(std::string device, std::string marker)
      : device_(std::move(device)), marker_(std::move(marker)) {}
  ~NamespaceWatchdogIo() override {
    if (fd_ >= 0) close(fd_);
  }

  std::optional<std::string> Read() override {
    if (closed_) {  // the close that ended the last read's bytes
      closed_ = false;
      return std::nullopt;
    }
    if (fd_ < 0) fd_ = open(device_.c_str(), O_RDONLY | O_NONBLOCK);
    if (fd_ < 0) return std::string();
    std::string out;
    char buf[256];
    while (true) {
      const ssize_t n = read(fd_, buf, sizeof buf);
      if (n > 0) {
        out.append(buf, static_cast<size_t>(n));
        connected_ = true;
        continue;
      }
      if (n == 0 && connected_) {  // the writer closed: reopen to wait for the next one
        close(fd_);
        fd_ = -1;
        connected_ = false;
        if (out.empty()) return std::nullopt;
        closed_ = true;
      }
      return out;
    }
  }

  Result<int> Fence() override {
    const uint64_t mine = NetnsInode("self");
    if (mine == 0 || mine == NetnsInode("1")) return Failed("refusing to fence the machine's own network namespace");
    int killed = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
      const std::string pid = entry.path().filename().string();
      auto n = ParseInt(pid);
      if (!n || *n == getpid() || NetnsInode(pid) != mine) continue;
      if (kill(*n, SIGKILL) == 0) ++killed;
    }
    return killed;
  }

  void Log(const std::string& line) override {
    fmt::print(stderr, "{:%Y-%m-%d %H:%M:%S} watchdog: {}\n", fmt::localtime(std::time(nullptr)), line);
    std::fflush(stderr);
  }

  void MarkFenced(const std::string& what) override {
    std::ofstream out(marker_, std::ios::app);
    out << fmt::format("{:%Y-%m-%dT%H:%M:%SZ} {}\n", fmt::gmtime(std::time(nullptr)), what);
  }

 private:
  std::string device_;
  std::string marker_;
  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
};

}  // namespace

Result<std::unique_ptr<WatchdogIo>> MakeNamespaceWatchdogIo(const std::string& device, const std::string& owner,
                                                            const std::string& marker_file) {
  if (NetnsInode("self") == NetnsInode("1"))
    return InvalidInput("the emulated watchdog must run inside a host's own network namespace, not the machine's");
  struct stat st {};
  if (stat(device.c_str(), &st) == 0 && !S_ISFIFO(st.st_mode))
    return InvalidInput(device + " exists and is not a named pipe");
  if (stat(device.c_str(), &st) != 0 && mkfifo(device.c_str(), 0600) != 0)
    return Failed(fmt::format("cannot make the named pipe {}: {}", device, std::strerror(errno)));
  if (!owner.empty()) {
    const passwd* pw = getpwnam(owner.c_str());
    if (!pw) return InvalidInput("no user " + owner);
    if (chown(device.c_str(), pw->pw_uid, pw->pw_gid) != 0)
      return Failed(fmt::format("cannot give {} to {}: {}", device, owner, std::strerror(errno)));
  }
  return std::unique_ptr<WatchdogIo>(new NamespaceWatchdogIo(device, marker_file));
}

}  // namespace pgha
