// Progress lines are best effort: a reader gone from stderr (`2>&1 | head`)
// must not end a run with its cluster standing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>

#include "app/system.h"

namespace pgha {
namespace {

TEST(Progress, AClosedPipeOnStderrIsNoThrowAndNoSignal) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  close(fds[0]);  // the reader is gone
  std::fflush(stderr);
  const int saved = dup(2);
  ASSERT_GE(saved, 0);
  ASSERT_EQ(dup2(fds[1], 2), 2);
  auto old = std::signal(SIGPIPE, SIG_IGN);  // as main's InstallCancelHandlers
  bool threw = false;
  try {
    for (int i = 0; i < 100; ++i) PrintProgress("a progress line nobody reads");
  } catch (...) {
    threw = true;
  }
  std::fflush(stderr);
  dup2(saved, 2);
  close(saved);
  close(fds[1]);
  std::clearerr(stderr);
  std::signal(SIGPIPE, old);
  EXPECT_FALSE(threw);
}

}  // namespace
}  // namespace pgha
