// FaultEffect: what a fault measured of itself, asked against measured
// (a latency fault's delay, a loss rate), so that a run never silently
// accepts a fault that did not do what the scenario asked. Pure data.
#pragma once

#include <string>

namespace pgha {

struct FaultEffect {
  std::string fault_id;  // the step's id
  std::string quantity;  // "delay_ms", "loss_percent"
  std::string path;      // what was probed: "node2 -> node1:8008"
  double asked = 0;
  double before = 0;  // the path's own value before the fault (p50)
  double p50 = 0;     // during the fault, less `before`
  double p99 = 0;
  int samples = 0;
  double tolerance = 0;  // |p50 - asked| may be this much
  std::string engine;    // what applied it: "nfqueue", "netem", "iptables"
  bool within() const { return p50 >= asked - tolerance && p50 <= asked + tolerance && samples > 0; }
};

}  // namespace pgha
