// The durable file system's side of its control channel: a Unix socket
// listened on, and a loop that answers one request per connection through
// DurableState::Control until told to stop (it wakes every 200 ms to look).
#pragma once

#include <atomic>
#include <string>

#include "core/status.h"
#include "durablefs/durable_state.h"

namespace pgha {

// A listening socket at `path` (an old one there is replaced).
Result<int> ListenControl(const std::string& path);
// A client that sends no full line within 2 s is dropped.
void ServeControl(int listener, DurableState& state, const std::atomic<bool>& stop);

}  // namespace pgha
