// TCP connect round trips to an address, several at once, for a fault to
// measure the delay it injected (a SYN and its SYN-ACK or RST: a refused
// port measures as well as an open one). Bounded: every attempt gives up
// at `timeout`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/units.h"

namespace pgha {

struct TcpProbeOptions {
  std::string address;  // IPv4
  int port = 0;
  int count = 10;
  Duration spacing = std::chrono::milliseconds(20);  // between attempts' starts
  Duration timeout = std::chrono::seconds(5);        // per attempt
};

// Each attempt's round trip in milliseconds, nullopt where it timed out.
Result<std::vector<std::optional<double>>> ProbeTcp(const TcpProbeOptions& o);

}  // namespace pgha
