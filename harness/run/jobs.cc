#include "run/jobs.h"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "core/cidr.h"

namespace pgha {

size_t RunInJobs(size_t count, int jobs, const JobCallbacks& cb) {
  std::mutex mu;
  std::condition_variable changed;
  size_t next = 0;                           // the next index a slot takes
  size_t running = 0;                        // slots inside cb.run
  std::map<size_t, ScenarioResult> waiting;  // ended, not yet handed back
  auto slot_loop = [&](size_t slot) {
    while (true) {
      size_t index;
      {
        std::lock_guard<std::mutex> lock(mu);
        if (next >= count || cb.cancelled()) return;
        index = next++;
        ++running;
      }
      ScenarioResult r = cb.run(slot, index);
      std::lock_guard<std::mutex> lock(mu);
      waiting.emplace(index, std::move(r));
      --running;
      changed.notify_all();
    }
  };
  std::vector<std::thread> slots;
  const size_t n = std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(std::max(jobs, 1)), count));
  for (size_t s = 0; s < n; ++s) {
    slots.emplace_back(slot_loop, s);
  }
  size_t handed = 0;
  std::unique_lock<std::mutex> lock(mu);
  while (true) {
    changed.wait(lock,
                 [&] { return waiting.count(handed) > 0 || (running == 0 && (next >= count || cb.cancelled())); });
    auto it = waiting.find(handed);
    if (it == waiting.end()) break;  // nothing runs and nothing more will start
    ScenarioResult r = std::move(it->second);
    waiting.erase(it);
    lock.unlock();
    cb.finished(handed++, std::move(r));
    lock.lock();
  }
  lock.unlock();
  for (auto& t : slots) t.join();
  return handed;
}

Result<std::string> SubnetForSlot(const std::string& subnet, int slot) {
  auto s = ParseSubnet(subnet);
  if (!s.ok()) return s.status();
  const uint64_t network = uint64_t{s->network} + uint64_t{static_cast<uint32_t>(slot)} * s->Size();
  if (slot < 0 || network + s->Size() > (uint64_t{1} << 32))
    return InvalidInput(
        fmt::format("job {} has no subnet: its /{} would be number {} after {}, past 255.255.255.255; "
                    "choose a lower --subnet or fewer --jobs",
                    slot + 1, s->prefix, slot, subnet));
  Ipv4Subnet out = *s;
  out.network = static_cast<uint32_t>(network);
  return out.ToString();
}

}  // namespace pgha
