// The packet engine: a daemon of ours that reads one NFQUEUE of the
// network namespace it runs in (libnetfilter_queue) and hands each packet
// back to the kernel after the delay DelayModel draws for it, so latency,
// jitter, reordering and duplication need no sch_netem. It is started on
// a host by the latency fault (`pgha-chaos packet-engine`, hidden), after
// which the fault adds the iptables NFQUEUE rules (--queue-bypass).
//
// Fail-open: the queue is bounded (`max_held`, the kernel's queue length
// too, with NFQA_CFG_F_FAIL_OPEN: packets beyond it pass at once); when
// the engine exits or is killed, --queue-bypass lets traffic flow again
// (packets held at a SIGKILL are lost, as on a cable pulled; TCP resends
// them). On SIGTERM it releases everything it holds, then exits.
// Duplicates are sent through a raw socket carrying `mark`, which the
// queue rules skip. With a rate, packets are paced as a token bucket of
// one packet would (the bandwidth fault where no tbf fits: a direction in,
// one peer, one port).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "core/status.h"
#include "netem/delay_model.h"

namespace pgha {

struct PacketEngineOptions {
  int queue = 0;
  DelayModel model;
  uint32_t mark = 0x70ea;  // on duplicates, so the queue rules let them pass
  size_t max_held = 4096;
  uint64_t seed = 0;  // 0: from the clock
  // Above 0: packets leave at most at this rate (bits per second), each
  // after the one before it has had its time on the wire; a packet that
  // would wait more than `backlog_limit` is dropped (tbf's `latency`).
  double rate_bps = 0;
  int64_t backlog_limit_ns = 1'000'000'000;
};

struct PacketEngineCounts {
  uint64_t packets = 0;
  uint64_t held = 0;  // delayed (the rest were reordered past, or the queue was full)
  uint64_t duplicated = 0;
  uint64_t overflow = 0;
  uint64_t dropped = 0;  // past the rate's backlog limit
};

// Runs until `stop`; `ready` is called once the queue is bound (the rules may then be added).
Result<PacketEngineCounts> RunPacketEngine(const PacketEngineOptions& o, const std::atomic<bool>& stop,
                                           const std::function<void()>& ready);

}  // namespace pgha
