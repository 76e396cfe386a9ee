// A FaultEnv for fault-injector tests that records what the injector asks
// for: every restart as "kind@host" (then does `restart`, Ok by default)
// and every note as "host: detail" (a fault's remark as "kind host process: detail").
#pragma once

#include <fmt/format.h>

#include <functional>
#include <string>
#include <vector>

#include "faults/fault_injector.h"

namespace pgha::testing {

inline FaultEnv RecordingFaultEnv(const ClusterPlan& plan, Provider& provider, Manifest& manifest, HttpClient& http,
                                  Clock& clock, std::vector<std::string>* restarted, std::vector<std::string>* notes,
                                  std::function<Status(const HostPlan&, const std::string&)> restart = nullptr) {
  return FaultEnv{
      plan,
      provider,
      manifest,
      http,
      clock,
      [restarted, restart](const HostPlan& h, const std::string& kind) {
        restarted->push_back(kind + "@" + h.name);
        return restart ? restart(h, kind) : Status::Ok();
      },
      [notes](const std::string& host, const std::string& detail) { notes->push_back(host + ": " + detail); },
      false,
      "",
      [notes](const FaultRemark& r) {
        notes->push_back(fmt::format("{} {} {}: {}", r.kind, r.host, r.process, r.detail));
      }};
}

}  // namespace pgha::testing
