// Clock: the one source of time, injectable so waits and timings are tested
// without sleeping (after leveldb's Env::NowMicros).
//
// Now() is monotonic (steady_clock); WallNow() is for human-readable stamps.
// SleepFor() may return early when the run is cancelled. FakeClock in
// tests/fakes advances only when told to or when slept on.
// Thread-safety: SystemClock is stateless and thread-safe.
#pragma once

#include <chrono>
#include <string>

namespace pgha {

using Duration = std::chrono::nanoseconds;
using TimePoint = std::chrono::steady_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  virtual std::chrono::system_clock::time_point WallNow() const = 0;
  virtual void SleepFor(Duration d) = 0;
};

class SystemClock : public Clock {
 public:
  TimePoint Now() const override;
  std::chrono::system_clock::time_point WallNow() const override;
  void SleepFor(Duration d) override;
};

// A point in time after which a wait gives up. Every wait in the harness
// takes one.
class Deadline {
 public:
  Deadline(const Clock& clock, Duration budget) : clock_(&clock), end_(clock.Now() + budget), budget_(budget) {}
  bool Expired() const { return clock_->Now() >= end_; }
  Duration Remaining() const {
    auto r = end_ - clock_->Now();
    return r.count() > 0 ? std::chrono::duration_cast<Duration>(r) : Duration::zero();
  }
  Duration Budget() const { return budget_; }

 private:
  const Clock* clock_;
  TimePoint end_;
  Duration budget_;
};

inline double ToSeconds(Duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace pgha
