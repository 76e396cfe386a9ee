// The list-append checker, after Jepsen's Elle (Kingsbury & Alvaro, "Elle:
// Inferring Isolation Anomalies from Experimental Observations", 2020).
// Pure: a history in, anomalies out.
//
// What it infers. Appends are unique, so every read of a key names the
// writers of its elements in order. Per key the longest read is the version
// order and every other read must be a prefix of it (else
// incompatible-order, reported with both branches, and the key adds no
// dependency edges). From the orders: ww (T1 appended the element right
// before T2's), wr (T2 read a list whose last element T1 appended), rw (T1
// read a version that T2's append extends; an acknowledged append that no
// read shows comes after the longest read). Process edges join a process's
// consecutive transactions; real-time edges join each transaction to the
// frontier of those completed before its invocation (so their count stays
// linear). Cycles are searched per strongly connected component, bounded,
// in Elle's shapes: G0 (ww only), G1c (ww and wr, one wr or more),
// G-single-item (exactly one rw), G-nonadjacent-item (several rw, no two
// adjacent), G2-item (two or more rw, some adjacent); each also as
// -process and -realtime when the cycle needs those edges.
// Besides cycles: G1a (a read shows an element of a failed transaction),
// G1b (a read ends in an element its writer later followed within the same
// transaction), internal (a read disagrees with the transaction's own
// earlier read and appends), duplicate-elements, dirty-update (a failed
// transaction's element followed by a committed one's), lost-update (two
// committed transactions read the same version of a key and both appended
// to it), lost-append (an acknowledged append missing from the final read;
// only histories that have one). Indeterminate (info) appends are never
// anomalies by themselves.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "elle/txn_history.h"

namespace pgha::elle {

struct CheckOptions {
  bool process_edges = true;
  bool realtime_edges = true;
  int max_reported_per_type = 20;       // explained in full; every one is counted
  int64_t search_budget = 200'000'000;  // edge visits for the cycle search in all
  int max_unobserved_edges_per_key = 4096;
};

struct Anomaly {
  std::string type;            // Elle's name: "G1c", "G-single-item-realtime", "lost-update"
  std::string explanation;     // for people, one line per step
  std::vector<uint32_t> txns;  // the transactions involved (indexes into the history), in cycle order
};

struct CheckResult {
  bool valid = true;
  std::map<std::string, int64_t> counts;                  // type -> how many
  std::map<std::string, std::vector<Anomaly>> anomalies;  // type -> the first max_reported_per_type
  std::vector<std::string> not_models;                    // the weakest consistency models ruled out (Elle's "not")
  std::vector<std::string> also_not_models;               // every stronger one (Elle's "also-not")
  int64_t txns = 0, ok = 0, failed = 0, indeterminate = 0;
  std::map<std::string, int64_t> failure_reasons;  // failed and indeterminate transactions by the reason recorded
  int64_t edges = 0, components = 0;               // dependency edges; components of two or more
  bool search_exhausted = false;                   // the cycle search ran out of budget: some cycles may be unreported
  // Not a list-append history this checker can judge (two appends of one
  // element to one key): nothing else is set.
  std::string input_error;
};

CheckResult CheckListAppend(const ListAppendHistory& h, const CheckOptions& options = {});

// Every anomaly type this checker can report, in Elle's names.
const std::vector<std::string>& AnomalyTypes();
// The weakest models an anomaly type rules out, and the closure of those.
std::vector<std::string> ModelsRuledOutBy(const std::string& type);
std::vector<std::string> StrongerModels(const std::vector<std::string>& models);

}  // namespace pgha::elle
