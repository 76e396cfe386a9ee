// run --jobs: the ordered pool of run/jobs.h and the subnet of each slot.
#include "run/jobs.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace pgha {
namespace {

ScenarioResult Named(size_t index) {
  ScenarioResult r;
  r.run_id = "s" + std::to_string(index);
  return r;
}

TEST(Jobs, RunAtOnceAndHandBackInTheListsOrder) {
  std::atomic<int> inside{0}, most{0};
  std::mutex mu;
  std::set<size_t> slots_used;
  std::vector<size_t> order;
  std::vector<std::string> names;
  JobCallbacks cb;
  cb.run = [&](size_t slot, size_t index) {
    {
      std::lock_guard<std::mutex> lock(mu);
      slots_used.insert(slot);
    }
    const int now = ++inside;
    for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {}
    // Later scenarios end first: the order handed back must not follow.
    std::this_thread::sleep_for(std::chrono::milliseconds(index % 2 == 0 ? 40 : 5));
    --inside;
    return Named(index);
  };
  cb.finished = [&](size_t index, ScenarioResult r) {
    order.push_back(index);
    names.push_back(r.run_id);
  };
  cb.cancelled = [] { return false; };
  EXPECT_EQ(RunInJobs(7, 3, cb), 7u);
  EXPECT_EQ(order, (std::vector<size_t>{0, 1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(names.front(), "s0");
  EXPECT_EQ(names.back(), "s6");
  EXPECT_EQ(most.load(), 3);
  EXPECT_EQ(slots_used, (std::set<size_t>{0, 1, 2}));
}

TEST(Jobs, OneJobRunsOneAtATimeAndMoreJobsThanScenariosIsFine) {
  std::atomic<int> inside{0}, most{0};
  JobCallbacks cb;
  cb.run = [&](size_t, size_t index) {
    most = std::max(most.load(), ++inside);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    --inside;
    return Named(index);
  };
  size_t handed = 0;
  cb.finished = [&](size_t, ScenarioResult) { ++handed; };
  cb.cancelled = [] { return false; };
  EXPECT_EQ(RunInJobs(4, 1, cb), 4u);
  EXPECT_EQ(most.load(), 1);
  EXPECT_EQ(RunInJobs(2, 8, cb), 2u);
  EXPECT_EQ(handed, 6u);
  EXPECT_EQ(RunInJobs(0, 4, cb), 0u);
}

TEST(Jobs, NothingNewStartsOnceCancelledAndWhatRanIsHandedBack) {
  std::atomic<bool> cancel{false};
  std::atomic<size_t> started{0};
  std::vector<size_t> order;
  JobCallbacks cb;
  cb.run = [&](size_t, size_t index) {
    if (++started == 3) cancel = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return Named(index);
  };
  cb.finished = [&](size_t index, ScenarioResult) { order.push_back(index); };
  cb.cancelled = [&] { return cancel.load(); };
  const size_t ran = RunInJobs(20, 2, cb);
  EXPECT_EQ(ran, started.load());
  EXPECT_GE(ran, 3u);
  EXPECT_LE(ran, 4u);
  for (size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i], i);
}

TEST(Jobs, EachSlotHasTheNextSubnetOfTheSameSize) {
  EXPECT_EQ(*SubnetForSlot("10.77.0.0/24", 0), "10.77.0.0/24");
  EXPECT_EQ(*SubnetForSlot("10.77.0.0/24", 2), "10.77.2.0/24");
  EXPECT_EQ(*SubnetForSlot("10.77.255.0/24", 1), "10.78.0.0/24");
  EXPECT_EQ(*SubnetForSlot("10.77.0.0/23", 1), "10.77.2.0/23");
  EXPECT_FALSE(SubnetForSlot("255.255.255.0/24", 1).ok());
  EXPECT_FALSE(SubnetForSlot("10.77.0.0/24", -1).ok());
  EXPECT_FALSE(SubnetForSlot("not a subnet", 1).ok());
}

}  // namespace
}  // namespace pgha
