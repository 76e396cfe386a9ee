// A list-append history (Jepsen's Elle model) as compact plain data: every
// transaction a list of micro-operations, appends of unique integers to a
// key's list and reads of a key's whole list. The checker (list_append_check.h)
// reads nothing else, so a history from our own runs and one from Jepsen's
// tools (elle_json.h) are judged alike.
//
// Order: `invoke_at` and `complete_at` are positions on one real-time scale
// (nanoseconds for our runs, the event index for elle-cli files); a
// transaction A precedes B in real time when A.complete_at < B.invoke_at.
// An indeterminate (info) transaction never completes (complete_at = kNever).
// Pure; memory is about 64 bytes a transaction plus 8 a read element.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace pgha::elle {

enum class TxnOutcome : uint8_t { kOk, kFail, kInfo };
inline constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

struct Mop {
  int64_t key = 0;
  int64_t element = 0;      // appends: the element appended
  uint32_t read_begin = 0;  // reads: the list, in ListAppendHistory::read_elements
  uint32_t read_len = 0;
  bool append = false;
  bool read_known = false;  // reads: the value is known (ok transactions)
};

struct Txn {
  int64_t invoke_at = 0;
  int64_t complete_at = kNever;
  int64_t invoke_index = -1;    // the invocation's index in the source history (-1: none)
  int64_t complete_index = -1;  // the completion's index (-1: none)
  uint32_t mop_begin = 0;
  uint16_t mop_count = 0;
  TxnOutcome outcome = TxnOutcome::kOk;
  int32_t process = 0;
  int32_t server = -1;    // index into ListAppendHistory::servers, -1 unknown
  int32_t error = -1;     // why it failed or is indeterminate: ListAppendHistory::errors, -1 none
  int32_t timeline = -1;  // the server's timeline when the client connected (ours), -1 unknown
};

struct ListAppendHistory {
  std::vector<Txn> txns;  // in invocation order
  std::vector<Mop> mops;
  std::vector<int64_t> read_elements;
  std::vector<std::string> servers;  // where transactions ran (our runs)
  std::vector<std::string> errors;   // why transactions failed (our runs: the server's message, or the client's)
  // Keys written as strings in the source (elle-cli allows both): key id
  // k < 0 stands for key_names[-k - 1]. Integer keys are themselves.
  std::vector<std::string> key_names;
  // A last read of every key from the final primary after the run (ours
  // only; -1 none): an acknowledged append absent from it is lost.
  int64_t final_read_txn = -1;

  const Mop* MopsOf(const Txn& t) const { return mops.data() + t.mop_begin; }
  const int64_t* ReadOf(const Mop& m) const { return read_elements.data() + m.read_begin; }
  std::string KeyName(int64_t key) const;
};

// The process of the final read (ours): an integer, as elle-cli wants.
inline constexpr int32_t kFinalReadProcess = -1;

// Puts the transactions in invocation order (a recorder adds them as they
// complete); the final read moves with its transaction. Names (T<n>) are
// the positions after this, unless the source history gave indexes.
void SortByInvocation(ListAppendHistory& h);

// The history's events in real-time order, as elle-cli files hold them:
// each transaction's invocation, and its completion (an indeterminate
// one's "info" last: it never completed).
struct TxnEvent {
  int64_t at;
  uint32_t txn;
  bool complete;
};
std::vector<TxnEvent> EventOrder(const ListAppendHistory& h);
// Sets every invoke_index and complete_index to the event's place in
// EventOrder, so names (T<n>) are those of the history.elle.json written.
void AssignEventIndexes(ListAppendHistory& h);

std::string OutcomeWord(TxnOutcome o);  // "ok", "fail", "info"
// A transaction as Elle writes it: [[append 1 2] [r 1 [1 2]]].
std::string DescribeTxn(const ListAppendHistory& h, uint32_t txn);
// "[1 2 3]"; long lists are cut in the middle ("[1 2 ... 40]").
std::string DescribeList(const int64_t* elements, uint32_t len);

}  // namespace pgha::elle
