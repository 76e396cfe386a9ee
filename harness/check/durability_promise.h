// What PostgreSQL's documentation promises of an acknowledged commit when
// hosts lose power, by synchronous_commit level, synchronous replication
// (Patroni's synchronous_mode) and which hosts lose it (the primary alone,
// or with its standby at the same instant; an etcd member), and the
// verdict of a measured loss against it: the durability matrix's rows
// (scenarios/suites/durability-matrix.yaml; the HTML report's last table).
// Pure. The levels, from the documentation of synchronous_commit:
//   off           the commit returns before its WAL is flushed locally;
//   local         it waits for the local flush only;
//   remote_write  and for the synchronous standby's write to its OS (lost
//                 if the standby's OS goes down too);
//   on            and for the standby's flush;
//   remote_apply  and for the standby's apply.
// Without a synchronous standby every level above local acts as local, and
// a promoted replica lacks whatever it had not received.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace pgha {

struct PowerCutCase {
  std::string synchronous_commit = "on";
  bool synchronous_mode = false;
  bool standby_too = false;  // the primary and a standby at one instant
  bool etcd_only = false;    // an etcd member's host, no PostgreSQL on it
};

struct DurabilityPromise {
  bool no_loss = false;  // no acknowledged commit may be lost
  std::string why;       // one sentence from the documentation's terms
};

DurabilityPromise PromiseFor(const PowerCutCase& cut);

// "kept", "BROKEN" (a loss where none was promised), "lost, as documented", or
// "none lost (not promised)".
std::string DurabilityVerdict(const DurabilityPromise& p, size_t lost);

// The cut a scenario made, from its power_loss and torn_write steps as
// written ("power_loss on primary+sync_standby", or one step per host) and
// its Patroni settings; nullopt when no step cuts the power.
std::optional<PowerCutCase> PowerCutOf(const std::vector<std::string>& steps, const std::string& synchronous_commit,
                                       bool synchronous_mode);

}  // namespace pgha
