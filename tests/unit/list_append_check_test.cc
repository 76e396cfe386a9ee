// The list-append checker (elle/list_append_check.h) on planted histories:
// one per anomaly type it reports, each built here so exactly that
// anomaly is present, and valid histories (hand-made, and 20,000
// synthetic strictly serializable transactions) that must yield none.
// Also elle-cli's JSON both ways, and its errors.
#include <gtest/gtest.h>

#include <sstream>

#include "elle/elle_json.h"
#include "elle/list_append_check.h"
#include "fakes/synthetic_txns.h"

namespace pgha::elle {
namespace {

using Op = std::vector<std::pair<std::string, std::vector<int64_t>>>;  // ("a", {k, v}) or ("r", {k, list...})

// Builds a history one transaction at a time; each has its own moment in
// real time unless `overlaps_next` keeps it running past the next ones.
class Planted {
 public:
  Planted& Txn(int process, TxnOutcome outcome, const Op& mops, bool overlaps_next = false) {
    pgha::elle::Txn t;
    t.process = process;
    t.outcome = outcome;
    t.invoke_at = clock_;
    t.invoke_index = clock_;
    t.complete_at = outcome == TxnOutcome::kInfo ? kNever : clock_ + (overlaps_next ? 100 : 1);
    t.complete_index = t.complete_at == kNever ? -1 : t.complete_at;
    clock_ += overlaps_next ? 1 : 2;
    t.mop_begin = static_cast<uint32_t>(h_.mops.size());
    for (const auto& [f, args] : mops) {
      Mop m;
      m.key = args[0];
      if (f == "a") {
        m.append = true;
        m.element = args[1];
      } else if (outcome == TxnOutcome::kOk) {
        m.read_known = true;
        m.read_begin = static_cast<uint32_t>(h_.read_elements.size());
        m.read_len = static_cast<uint32_t>(args.size() - 1);
        h_.read_elements.insert(h_.read_elements.end(), args.begin() + 1, args.end());
      }
      h_.mops.push_back(m);
    }
    t.mop_count = static_cast<uint16_t>(mops.size());
    h_.txns.push_back(t);
    return *this;
  }
  Planted& Ok(int p, const Op& m, bool overlaps_next = false) { return Txn(p, TxnOutcome::kOk, m, overlaps_next); }
  // A committed transaction running from `invoke` to `complete`.
  Planted& At(int p, int64_t invoke, int64_t complete, const Op& m) {
    Ok(p, m);
    h_.txns.back().invoke_at = h_.txns.back().invoke_index = invoke;
    h_.txns.back().complete_at = h_.txns.back().complete_index = complete;
    return *this;
  }
  ListAppendHistory& history() { return h_; }
  CheckResult Check(CheckOptions o = {}) { return CheckListAppend(h_, o); }

 private:
  ListAppendHistory h_;
  int64_t clock_ = 0;
};

std::vector<std::string> Types(const CheckResult& r) {
  std::vector<std::string> t;
  for (const auto& [type, n] : r.counts) t.push_back(type);
  return t;
}

using Types_ = std::vector<std::string>;

TEST(ListAppendCheck, ASerialHistoryIsValid) {
  Planted p;
  p.Ok(0, {{"a", {1, 1}}, {"a", {2, 1}}})
      .Ok(1, {{"r", {1, 1}}, {"a", {1, 2}}})
      .Ok(2, {{"r", {1, 1, 2}}, {"r", {2, 1}}});
  const CheckResult r = p.Check();
  EXPECT_TRUE(r.valid);
  EXPECT_TRUE(r.counts.empty());
  EXPECT_TRUE(r.not_models.empty());
  EXPECT_EQ(r.ok, 3);
}

TEST(ListAppendCheck, TwentyThousandSerializableTransactionsAreValid) {
  const CheckResult r = CheckListAppend(testing::SyntheticTxns(20000, 6, 7));
  EXPECT_TRUE(r.valid) << CheckResultText({}, r);
  EXPECT_GT(r.edges, 20000);
}

TEST(ListAppendCheck, G0IsAWriteCycle) {
  Planted p;  // T1 and T2 append to keys 1 and 2 in opposite orders
  p.Ok(0, {{"a", {1, 1}}, {"a", {2, 1}}}, true)
      .Ok(1, {{"a", {1, 2}}, {"a", {2, 2}}})
      .Ok(2, {{"r", {1, 1, 2}}, {"r", {2, 2, 1}}});
  const CheckResult r = p.Check();
  EXPECT_EQ(Types(r), Types_{"G0"});
  EXPECT_EQ(r.not_models, Types_{"read-uncommitted"});
  EXPECT_NE(r.anomalies.at("G0")[0].explanation.find("right after"), std::string::npos);
}

TEST(ListAppendCheck, G1cIsCircularInformationFlow) {
  Planted p;  // T1 reads T2's append to 2, T2's append to 1 comes after T1's
  p.Ok(0, {{"a", {1, 1}}, {"r", {2, 1}}}, true).Ok(1, {{"a", {1, 2}}, {"a", {2, 1}}}).Ok(2, {{"r", {1, 1, 2}}});
  EXPECT_EQ(Types(p.Check()), Types_{"G1c"});
}

TEST(ListAppendCheck, GSingleItemIsOneAntiDependency) {
  Planted p;
  p.Ok(0, {{"a", {1, 1}}, {"a", {2, 1}}}, true).Ok(1, {{"a", {1, 2}}, {"r", {2}}}).Ok(2, {{"r", {1, 1, 2}}});
  const CheckResult r = p.Check();
  EXPECT_EQ(Types(r), Types_{"G-single-item"});
  EXPECT_NE(r.anomalies.at("G-single-item")[0].explanation.find("without 1"), std::string::npos)
      << r.anomalies.at("G-single-item")[0].explanation;
}

TEST(ListAppendCheck, G2ItemIsWriteSkew) {
  Planted p;  // each reads the other's key empty and appends to its own
  p.Ok(0, {{"a", {1, 1}}, {"r", {2}}}, true).Ok(1, {{"a", {2, 1}}, {"r", {1}}});
  const CheckResult r = p.Check();
  EXPECT_EQ(Types(r), Types_{"G2-item"});
  EXPECT_EQ(r.not_models, Types_{"repeatable-read"});
  // Snapshot isolation allows write skew.
  EXPECT_EQ(std::count(r.also_not_models.begin(), r.also_not_models.end(), "snapshot-isolation"), 0);
}

TEST(ListAppendCheck, GNonadjacentItemHasTwoSeparatedAntiDependencies) {
  Planted p;  // T1 -rw-> T2 -wr-> T3 -rw-> T4 -wr-> T1, all concurrent
  p.Ok(0, {{"r", {1}}, {"r", {4, 4}}}, true)
      .Ok(1, {{"a", {1, 1}}, {"a", {2, 2}}}, true)
      .Ok(2, {{"r", {2, 2}}, {"r", {3}}}, true)
      .Ok(3, {{"a", {3, 3}}, {"a", {4, 4}}})
      .Ok(4, {{"r", {1, 1}}, {"r", {3, 3}}});
  EXPECT_EQ(Types(p.Check()), Types_{"G-nonadjacent-item"});
}

TEST(ListAppendCheck, RealtimeVariantNeedsTheRealtimeEdge) {
  Planted p;  // T3 starts after T2 ended (in T2's process) yet does not see T2's append
  p.Ok(0, {{"a", {1, 1}}}).Ok(1, {{"a", {1, 2}}}).Ok(1, {{"r", {1, 1}}});
  const CheckResult r = p.Check();
  EXPECT_EQ(Types(r), Types_{"G-single-item-realtime"});
  EXPECT_EQ(r.not_models, (Types_{"strong-serializable", "strong-snapshot-isolation"}));
  CheckOptions no_realtime;
  no_realtime.realtime_edges = false;
  EXPECT_EQ(Types(p.Check(no_realtime)), Types_{"G-single-item-process"});
  no_realtime.process_edges = false;
  EXPECT_TRUE(p.Check(no_realtime).valid);
}

// The -realtime and -process variants of each cycle shape: a cycle that
// needs one edge of real time (or, with real-time edges off, of process
// order), planted so that no stronger shape exists. The process variant
// is the same history with each real-time pair in one process.
struct VariantCase {
  std::string shape;
  std::function<void(Planted&, bool same_process)> plant;
};

std::vector<VariantCase> VariantCases() {
  return {
      {"G0",  // A appends before B on key 1, but B completed before A began
       [](Planted& p, bool sp) {
         p.At(1, 0, 1, {{"a", {1, 2}}}).At(sp ? 1 : 2, 2, 3, {{"a", {1, 1}}}).At(3, 10, 11, {{"r", {1, 1, 2}}});
       }},
      {"G1c",  // B completed before A began, yet read A's append
       [](Planted& p, bool sp) {
         p.At(1, 0, 1, {{"r", {1, 1}}}).At(sp ? 1 : 2, 2, 3, {{"a", {1, 1}}});
       }},
      {"G-single-item",  // A read key 1 empty though B's append completed before A began
       [](Planted& p, bool sp) {
         p.At(1, 0, 1, {{"a", {1, 1}}}).At(sp ? 1 : 2, 2, 3, {{"r", {1}}}).At(3, 10, 11, {{"r", {1, 1}}});
       }},
      {"G-nonadjacent-item",  // A -rw-> B -(time)-> C -rw-> D -wr-> A
       [](Planted& p, bool sp) {
         p.At(1, 0, 100, {{"r", {1}}, {"r", {3, 3}}})
             .At(2, 0, 10, {{"a", {1, 1}}})
             .At(sp ? 2 : 3, 20, 100, {{"r", {2}}})
             .At(4, 0, 100, {{"a", {2, 2}}, {"a", {3, 3}}})
             .At(5, 200, 210, {{"r", {1, 1}}, {"r", {2, 2}}});
       }},
      {"G2-item",  // A -rw-> B -rw-> C -(time)-> A
       [](Planted& p, bool sp) {
         p.At(1, 0, 5, {{"a", {2, 2}}})
             .At(sp ? 1 : 2, 6, 20, {{"r", {1}}})
             .At(3, 0, 30, {{"a", {1, 1}}, {"r", {2}}})
             .At(4, 100, 110, {{"r", {1, 1}}, {"r", {2, 2}}});
       }},
  };
}

TEST(ListAppendCheck, EveryCycleShapeHasItsRealtimeAndProcessVariant) {
  for (const VariantCase& c : VariantCases()) {
    Planted realtime;
    c.plant(realtime, false);
    const CheckResult r = realtime.Check();
    EXPECT_EQ(Types(r), Types_{c.shape + "-realtime"}) << c.shape << "\n" << CheckResultText(realtime.history(), r);
    Planted process;
    c.plant(process, true);
    CheckOptions by_process;
    by_process.realtime_edges = false;
    const CheckResult p = process.Check(by_process);
    EXPECT_EQ(Types(p), Types_{c.shape + "-process"}) << c.shape << "\n" << CheckResultText(process.history(), p);
    CheckOptions neither = by_process;
    neither.process_edges = false;
    EXPECT_TRUE(process.Check(neither).valid) << c.shape << ": the variant needs its edge";
  }
}

TEST(ListAppendCheck, G1aAbortedReadAndDirtyUpdate) {
  Planted p;
  p.Txn(0, TxnOutcome::kFail, {{"a", {1, 1}}}).Ok(1, {{"a", {1, 2}}}).Ok(2, {{"r", {1, 1, 2}}});
  const CheckResult r = p.Check();
  EXPECT_EQ(Types(r), (Types_{"G1a", "dirty-update"}));
  EXPECT_EQ(r.not_models, Types_{"read-committed"});
}

TEST(ListAppendCheck, G1bIntermediateRead) {
  Planted p;
  p.Ok(0, {{"a", {1, 1}}, {"a", {1, 2}}}).Ok(1, {{"r", {1, 1}}});
  const CheckResult r = p.Check();
  EXPECT_EQ(r.counts.count("G1b"), 1u);
  EXPECT_EQ(r.counts.count("G-single-item"), 1u);  // the read is also ordered before the second append
}

TEST(ListAppendCheck, InternalAndFutureReadAndDuplicates) {
  Planted internal;
  internal.Ok(0, {{"a", {1, 1}}}).Ok(1, {{"a", {1, 2}}, {"r", {1, 1}}});
  EXPECT_EQ(Types(internal.Check()), Types_{"internal"});
  Planted future;
  future.Ok(0, {{"r", {1, 1}}, {"a", {1, 1}}});
  EXPECT_EQ(Types(future.Check()), Types_{"future-read"});
  Planted dup;
  dup.Ok(0, {{"a", {1, 1}}}).Ok(1, {{"r", {1, 1, 1}}});
  EXPECT_EQ(Types(dup.Check()), Types_{"duplicate-elements"});
}

TEST(ListAppendCheck, LostUpdateIsTwoReadModifyWritesOfOneVersion) {
  Planted p;
  p.Ok(0, {{"a", {1, 0}}}).Ok(1, {{"r", {1, 0}}, {"a", {1, 1}}}, true).Ok(2, {{"r", {1, 0}}, {"a", {1, 2}}});
  const CheckResult r = p.Check();
  EXPECT_EQ(r.counts.count("lost-update"), 1u);
  EXPECT_EQ(r.counts.count("G2-item"), 1u);
  EXPECT_NE(r.anomalies.at("lost-update")[0].explanation.find("same version of key 1"), std::string::npos);
}

TEST(ListAppendCheck, AForkIsAnIncompatibleOrderWithBothBranches) {
  Planted p;  // two primaries: each branch extends [1] differently
  p.Ok(0, {{"a", {1, 1}}})
      .Ok(1, {{"a", {1, 2}}}, true)
      .Ok(2, {{"a", {1, 3}}})
      .Ok(3, {{"r", {1, 1, 2}}}, true)
      .Ok(4, {{"r", {1, 1, 3}}});
  const CheckResult r = p.Check();
  ASSERT_EQ(r.counts.count("incompatible-order"), 1u);
  const std::string& why = r.anomalies.at("incompatible-order")[0].explanation;
  EXPECT_NE(why.find("[1 2]"), std::string::npos) << why;
  EXPECT_NE(why.find("[1 3]"), std::string::npos) << why;
}

TEST(ListAppendCheck, LostAppendNeedsTheFinalRead) {
  Planted p;
  p.Ok(0, {{"a", {1, 1}}}).Ok(1, {{"a", {1, 2}}}).Ok(2, {{"r", {1, 1}}});
  p.history().final_read_txn = 2;
  const CheckResult r = p.Check();
  EXPECT_EQ(r.counts.count("lost-append"), 1u);
}

TEST(ListAppendCheck, IndeterminateAppendsAreNoAnomaly) {
  Planted p;  // one info append shows up, another never does
  p.Txn(0, TxnOutcome::kInfo, {{"a", {1, 1}}}).Txn(1, TxnOutcome::kInfo, {{"a", {1, 2}}}).Ok(2, {{"r", {1, 1}}});
  p.history().final_read_txn = 2;
  EXPECT_TRUE(p.Check().valid) << CheckResultText(p.history(), p.Check());
}

TEST(ListAppendCheck, StaleReplicaReadsAreRealtimeAnomaliesOnly) {
  const CheckResult r = CheckListAppend(testing::SyntheticTxns(5000, 8, 3, 50));
  ASSERT_FALSE(r.valid);
  for (const auto& [type, n] : r.counts) EXPECT_NE(type.find("-realtime"), std::string::npos) << type;
  EXPECT_FALSE(r.search_exhausted);
}

TEST(ListAppendCheck, ARanOutSearchIsNeverValid) {
  const auto h = testing::SyntheticTxns(5000, 8, 3, 50);
  CheckOptions tiny;
  tiny.search_budget = 10;
  const CheckResult r = CheckListAppend(h, tiny);
  EXPECT_TRUE(r.search_exhausted);
  EXPECT_FALSE(r.valid);
}

TEST(ElleJson, RoundTripsAHistory) {
  Planted p;
  p.Ok(0, {{"a", {1, 1}}, {"r", {2}}}, true)
      .Ok(1, {{"a", {2, 1}}, {"r", {1}}})
      .Txn(2, TxnOutcome::kInfo, {{"a", {1, 9}}});
  std::ostringstream out;
  WriteElleHistory(p.history(), out);
  auto back = ParseElleHistory(out.str());
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->txns.size(), 3u);
  EXPECT_EQ(back->txns[2].outcome, TxnOutcome::kInfo);
  EXPECT_EQ(Types(CheckListAppend(*back)), Types(p.Check()));
}

TEST(ElleJson, ReadsStringKeysAndLines) {
  const std::string jsonl =
      "{\"process\": 0, \"type\": \"invoke\", \"value\": [[\"append\", \"x\", 1]]}\n"
      "{\"process\": 0, \"type\": \"ok\", \"value\": [[\"append\", \"x\", 1]]}\n"
      "{\"process\": \"nemesis\", \"type\": \"info\", \"f\": \"kill\"}\n"
      "{\"process\": 1, \"type\": \"invoke\", \"value\": [[\"r\", \"x\", null]]}\n"
      "{\"process\": 1, \"type\": \"ok\", \"value\": [[\"r\", \"x\", [1]]]}\n";
  auto h = ParseElleHistory(jsonl);
  ASSERT_TRUE(h.ok()) << h.status().message();
  EXPECT_EQ(h->txns.size(), 2u);
  EXPECT_EQ(DescribeTxn(*h, 1), "[[r x [1]]]");
  EXPECT_TRUE(CheckListAppend(*h).valid);
}

TEST(ElleJson, ErrorsNameTheLine) {
  struct Case {
    std::string text, says;
  };
  for (const Case& c : std::vector<Case>{
           {"", "empty"},
           {"[{\"process\": 0, \"type\": \"ok\", \"value\": []}]", "line 1: process 0 completes a transaction"},
           {"[\n{\"process\": 0, \"type\": \"invoke\", \"value\": [[\"append\", 1, \"x\"]]},\n"
            "{\"process\": 0, \"type\": \"ok\", \"value\": [[\"append\", 1, \"x\"]]}]",
            "line 3: an appended element is an integer"},
           {"[{\"process\": 0, \"type\": \"invoke\"", "not closed"},
           {"[{\"process\": 0, \"type\": \"bogus\"}]", "invoke, ok, fail or info"},
           {"[{\"process\": 0, \"type\": \"invoke\", \"value\": [[\"cas\", 1, 2]]},"
            "{\"process\": 0, \"type\": \"ok\", \"value\": [[\"cas\", 1, 2]]}]",
            "not a list-append micro-operation"},
           {"[{\"process\": 0, \"type\": \"invoke\", \"value\": []}, {\"process\": 0, \"type\": \"invoke\"}]",
            "invoked again"},
           {"[{,}]", "not valid JSON"},
       }) {
    auto h = ParseElleHistory(c.text);
    ASSERT_FALSE(h.ok()) << c.text;
    EXPECT_NE(h.status().message().find(c.says), std::string::npos) << h.status().message();
  }
}

TEST(ElleJson, DuplicateAppendsAreRefused) {
  Planted p;
  p.Ok(0, {{"a", {1, 1}}}).Ok(1, {{"a", {1, 1}}});
  const CheckResult r = p.Check();
  EXPECT_FALSE(r.input_error.empty());
  EXPECT_FALSE(r.valid);
}

TEST(ElleJson, TheResultNamesTypesAsElleDoes) {
  Planted p;
  p.Ok(0, {{"a", {1, 1}}}).Ok(1, {{"a", {1, 2}}}).Ok(2, {{"r", {1, 1}}});
  const auto j = CheckResultToJson(p.history(), p.Check());
  EXPECT_EQ(j["valid"], false);
  EXPECT_EQ(j["anomaly_types"], nlohmann::json::array({"G-single-item-realtime"}));
  EXPECT_FALSE(j["anomalies"]["G-single-item-realtime"][0]["explanation"].get<std::string>().empty());
  EXPECT_EQ(j["anomalies"]["G-single-item-realtime"][0]["txns"].size(), 2u);
}

}  // namespace
}  // namespace pgha::elle
