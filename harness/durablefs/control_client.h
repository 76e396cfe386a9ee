// Talks to a durable file system's control channel (control_protocol.h):
// one request, one reply, within a deadline. What faults/ and the tests use.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "core/status.h"
#include "durablefs/control_protocol.h"

namespace pgha {

// The reply's words, or why there is none (no such socket, a refusal, the deadline).
Result<std::map<std::string, std::string>> SendControl(const std::string& socket_path, const ControlRequest& request,
                                                       std::chrono::milliseconds deadline = std::chrono::seconds(10));

}  // namespace pgha
