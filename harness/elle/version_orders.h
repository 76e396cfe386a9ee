// The list-append checker's first pass (list_append_check.h): which
// transaction wrote each element, each key's version order (its longest
// read, when every read is a prefix of it), and the anomalies found without
// a graph: incompatible-order, G1a, G1b, internal, duplicate-elements,
// dirty-update, lost-update, lost-append. Pure; linear in the history's
// size (appends are found by binary search in one sorted table).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "elle/txn_history.h"

namespace pgha::elle {

inline constexpr uint32_t kNoTxn = 0xffffffffu;

struct ElementRef {
  int64_t key = 0;
  int64_t element = 0;
  uint32_t txn = kNoTxn;
  uint16_t mop = 0;
  int32_t pos = -1;       // its place in the key's version order; -1 not there
  bool observed = false;  // some read shows it (in the order, or on a branch off it)
};

// Every append of the history, sorted by (key, element).
class ElementIndex {
 public:
  explicit ElementIndex(const ListAppendHistory& h);
  const ElementRef* Find(int64_t key, int64_t element) const;
  ElementRef* FindMutable(int64_t key, int64_t element);
  const std::vector<ElementRef>& refs() const { return refs_; }
  // The first append that repeats an earlier one's (key, element), if any.
  const std::string& duplicate_append() const { return duplicate_; }

 private:
  std::vector<ElementRef> refs_;
  std::string duplicate_;
};

struct KeyOrder {
  int64_t key = 0;
  uint32_t longest_txn = kNoTxn;  // the read that gives the order
  uint16_t longest_mop = 0;
  uint32_t len = 0;
  bool compatible = true;         // every read is a prefix of the longest (else its edges still follow the longest)
  std::vector<uint32_t> writers;  // per position: its writer (kNoTxn: none in the history)
  std::vector<uint32_t> unobserved_writers;  // acknowledged appends to the key that no read shows
};

struct ReadRef {
  int64_t key = 0;
  uint32_t txn = 0;
  uint16_t mop = 0;
  bool prefix = true;  // a prefix of the key's longest read
};

struct VersionOrders {
  std::vector<KeyOrder> keys;  // sorted by key
  std::vector<ReadRef> reads;  // every known read, sorted by key
  const KeyOrder* Find(int64_t key) const;
};

// An anomaly found: its type, its explanation and the transactions in it.
using Report = std::function<void(const std::string& type, std::string explanation, std::vector<uint32_t> txns)>;

VersionOrders BuildVersionOrders(const ListAppendHistory& h, ElementIndex& index, const Report& report);
// The anomalies of single transactions and pairs (everything but cycles).
void FindNonCycleAnomalies(const ListAppendHistory& h, const ElementIndex& index, const VersionOrders& orders,
                           const Report& report);

// "T12" (the completion's index in the source history, else its invocation's).
std::string TxnName(const ListAppendHistory& h, uint32_t txn);

}  // namespace pgha::elle
