// libpgha-clock-shim.so: preloaded before Debian's libfaketime 0.9.10 into
// a process whose wall clock a clock fault moves (services/faked_clock.h).
// With monotonic clocks left alone (DONT_FAKE_MONOTONIC), libfaketime's
// clock_nanosleep rejects every absolute sleep on a monotonic clock with
// EINVAL (Python's time.sleep is one), so those go to the kernel here,
// untouched; every other call goes on to libfaketime. No state, no
// allocation: safe in any thread and before main.
#include <dlfcn.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>

namespace {

using ClockNanosleep = int (*)(clockid_t, int, const struct timespec*, struct timespec*);

bool Monotonic(clockid_t c) { return c == CLOCK_MONOTONIC || c == CLOCK_MONOTONIC_RAW || c == CLOCK_BOOTTIME; }

}  // namespace

extern "C" __attribute__((visibility("default"))) int clock_nanosleep(clockid_t clock, int flags,
                                                                      const struct timespec* request,
                                                                      struct timespec* remain) {
  if (Monotonic(clock)) {
    const long r = syscall(SYS_clock_nanosleep, clock, flags, request, remain);
    return r == 0 ? 0 : errno;  // clock_nanosleep returns the error instead of setting errno
  }
  static ClockNanosleep next = reinterpret_cast<ClockNanosleep>(dlsym(RTLD_NEXT, "clock_nanosleep"));
  return next ? next(clock, flags, request, remain) : ENOSYS;
}
