// The emulated watchdog: what stands in for /dev/watchdog on a host of a
// cluster with `patroni.watchdog: emulated` (`pgha-chaos watchdog`, one per
// Patroni host, started before Patroni).
//
// Patroni 3.0.2's `testing` driver opens a named pipe instead of the
// device and writes to it what the ioctls would do: "Ctimeout=N\n" to set
// the timeout, "1" as a keepalive, "V" before a clean close. WatchdogTimer
// turns those bytes into the Linux watchdog's rules: armed once a writer
// has written; every write is a keepalive; a close right after "V"
// disarms; a close without it leaves the timer running. When the timer
// runs out the host is fenced: every process of the host (its network
// namespace) but the watchdog itself is SIGKILLed, as a hardware reset
// would stop them, and a marker file records when, so that the harness can
// "reboot" the host (start its services again) when the fault is healed.
//
// WatchdogTimer is pure. RunWatchdog does the I/O through a WatchdogIo
// (the real one reads the pipe and kills by network namespace; tests use a
// fake) and returns when `stop` is set or the pipe cannot be read.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/status.h"

namespace pgha {

class WatchdogTimer {
 public:
  // Bytes written by Patroni at `now`.
  void Feed(const std::string& bytes, TimePoint now);
  // The writer closed the device.
  void Closed();
  // Whether the timer ran out at `now` (then it disarms: one fence per arming).
  bool Expired(TimePoint now);
  bool armed() const { return armed_; }
  Duration timeout() const { return timeout_; }

 private:
  bool armed_ = false;
  bool magic_close_ = false;
  std::string pending_;                          // an unfinished "C..." command
  Duration timeout_ = std::chrono::seconds(60);  // the testing driver's default until Patroni sets one
  TimePoint last_ping_{};
};

class WatchdogIo {
 public:
  virtual ~WatchdogIo() = default;
  // What the writer wrote since the last call; nullopt when it closed the pipe.
  virtual std::optional<std::string> Read() = 0;
  // Kills every process of the host but this one; returns how many.
  virtual Result<int> Fence() = 0;
  virtual void Log(const std::string& line) = 0;
  // Records that the host was fenced (the marker file).
  virtual void MarkFenced(const std::string& what) = 0;
};

struct WatchdogOptions {
  Duration tick = std::chrono::milliseconds(20);  // how often the pipe is read and the timer checked
};

// Runs until `stop`; a Fence failure is logged and the loop goes on.
void RunWatchdog(WatchdogIo& io, Clock& clock, const WatchdogOptions& options, const std::atomic<bool>& stop);

// The real I/O: creates the named pipe `device` (owned by `owner`, mode
// 0600), reads it without blocking, fences by network namespace. Fails when
// this process shares the machine's own network namespace (it would kill
// the machine), or the pipe cannot be made.
Result<std::unique_ptr<WatchdogIo>> MakeNamespaceWatchdogIo(const std::string& device, const std::string& owner,
                                                            const std::string& marker_file);

}  // namespace pgha
