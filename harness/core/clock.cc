#include "core/clock.h"

#include <thread>

#include "core/cancel.h"

namespace pgha {

TimePoint SystemClock::Now() const { return std::chrono::steady_clock::now(); }

std::chrono::system_clock::time_point SystemClock::WallNow() const { return std::chrono::system_clock::now(); }

void SystemClock::SleepFor(Duration d) {
  // Sleep in slices so Ctrl-C is noticed within 50 ms.
  const auto end = Now() + d;
  while (!CancelRequested()) {
    auto left = end - Now();
    if (left <= Duration::zero()) return;
    std::this_thread::sleep_for(
        std::min<Duration>(std::chrono::duration_cast<Duration>(left), std::chrono::milliseconds(50)));
  }
}

}  // namespace pgha
