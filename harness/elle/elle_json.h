// List-append histories in the JSON that elle-cli (ligurio/elle-cli) reads,
// so a history goes both ways between pgha-chaos and Jepsen's tools:
//   [{"index": 0, "process": 0, "type": "invoke", "f": "txn",
//     "value": [["append", 1, 2], ["r", 1, null]]},
//    {"index": 1, "process": 0, "type": "ok", "f": "txn",
//     "value": [["append", 1, 2], ["r", 1, [2]]]}, ...]
// An array of events (or one event per line); each invocation is matched
// with its process's next completion (ok, fail or info); an invocation
// never completed is indeterminate. Keys are integers or strings, elements
// integers. Real time is the events' order in the file. Extra fields are
// ignored by Elle; ours: "time" (real time when every event has it),
// "node" (the server that ran the transaction), "timeline" (its timeline)
// and "error" (why it failed); process -1 is our final read of every list.
// Reading is bounded: each event is parsed alone (memory is the history's,
// not a document tree's), and errors name the line and the fix.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "core/status.h"
#include "elle/list_append_check.h"
#include "elle/txn_history.h"

namespace pgha::elle {

Result<ListAppendHistory> ParseElleHistory(const std::string& text);

// Our history in that format, events in real-time order; `time` in
// nanoseconds, `node` the server that ran the transaction when known.
void WriteElleHistory(const ListAppendHistory& h, std::ostream& out);

// A check's outcome as `check-history --json` prints it: valid,
// anomaly_types (Elle's names), anomalies (each with its explanation and
// transactions), counts, not and also_not (models ruled out).
nlohmann::json CheckResultToJson(const ListAppendHistory& h, const CheckResult& r);
// The same without the transactions' values (their names only; the
// explanations hold them), for result.json; and back.
nlohmann::json CheckResultSummaryJson(const CheckResult& r);
CheckResult CheckResultFromSummaryJson(const nlohmann::json& j);
// The same for people: one paragraph per anomaly, then the models.
std::string CheckResultText(const ListAppendHistory& h, const CheckResult& r);

}  // namespace pgha::elle
