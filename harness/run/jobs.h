// Jobs: a list of scenarios run on several clusters at once (`run --jobs
// N`). Slot k (0 <= k < N) runs one scenario at a time, each on a fresh
// cluster of its own, on the k-th subnet after the scenario's own (slot 0
// keeps it), so clusters never share an address. Finished results come
// back on the calling thread in the list's order, each as soon as it and
// every one before it have ended, so reports and the console read as in a
// run of one job. No new scenario starts once `cancelled` says so.
// Thread-safety: `run` is called from N threads at once, each with its own
// slot number; `finished` only from the calling thread.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "core/status.h"
#include "result/result.h"

namespace pgha {

struct JobCallbacks {
  std::function<ScenarioResult(size_t slot, size_t index)> run;
  std::function<void(size_t index, ScenarioResult result)> finished;
  std::function<bool()> cancelled;
};

// Returns how many scenarios ran (a prefix of the list).
size_t RunInJobs(size_t count, int jobs, const JobCallbacks& callbacks);

// Slot `slot`'s subnet for a scenario whose own is `subnet`: the slot-th
// subnet of the same size after it ("10.77.0.0/24", 2 -> "10.77.2.0/24").
// An error when that runs past 255.255.255.255.
Result<std::string> SubnetForSlot(const std::string& subnet, int slot);

}  // namespace pgha
