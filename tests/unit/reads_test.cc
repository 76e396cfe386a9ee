// Read staleness, stale reads from a deposed primary, and the cross-check
// of the client-observed and server-side write gap (check/measurements.h).
#include <gtest/gtest.h>

#include "check/measurements.h"
#include "check/verdict.h"
#include "result/result_json.h"

namespace pgha {
namespace {

constexpr int64_t kReadsMs = 1000000;

// One writer, a write every 10 ms for 10 s, each acknowledged 2 ms after it
// was sent and run by its server 1 ms before that. Server A is the primary
// until a kill at 6 s; writes fail until 6.5 s; then B takes them.
class ReadsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int64_t seq = 0; seq < 1000; ++seq) {
      Op w;
      w.type = OpType::kWrite;
      w.key = LedgerKey(0, seq);
      w.invoke_ns = seq * 10 * kReadsMs;
      w.complete_ns = w.invoke_ns + 2 * kReadsMs;
      if (w.invoke_ns >= 6000 * kReadsMs && w.invoke_ns < 6500 * kReadsMs) {
        w.outcome = Outcome::kFail;
      } else {
        w.server = w.invoke_ns < 6000 * kReadsMs ? "A" : "B";
        w.server_at_ns = w.complete_ns - 1 * kReadsMs;
        h_.final_keys.insert(w.key);
      }
      h_.ops.push_back(w);
    }
    h_.journal = {{6000 * kReadsMs, JournalAction::kInject, "kill", "kill", "node-a", "SIGKILL"}};
    h_.final_read_ok = true;
    h_.end_ns = 10000 * kReadsMs;
  }
  // A read sent at `at_ms`, served by `server`, that saw the writer's rows
  // up to sequence number `seen`.
  void Read(int64_t at_ms, const std::string& server, int64_t seen) {
    Op r;
    r.type = OpType::kRead;
    r.invoke_ns = at_ms * kReadsMs;
    r.complete_ns = r.invoke_ns + kReadsMs;
    r.server = server;
    r.seen = {seen};
    h_.ops.push_back(r);
  }
  History h_;
};

TEST_F(ReadsTest, AReadThatSawEveryAcknowledgedWriteIsNotStale) {
  Read(1000, "R", 99);  // write 99 was sent at 990 ms, acknowledged at 992 ms
  const Measurements m = Analyze(h_);
  EXPECT_EQ(m.reads.judged, 1);
  EXPECT_EQ(m.reads.max_ms, 0);
  EXPECT_EQ(m.reads.max_writes, 0);
}

TEST_F(ReadsTest, APlantedStaleReadIsMeasuredInMillisecondsAndWrites) {
  for (int64_t t = 1000; t <= 5000; t += 1000) Read(t, "R", t / 10 - 1);  // up to date
  Read(5500, "R", 299);  // saw nothing after write 299 (acknowledged at 2992 ms)
  const Measurements m = Analyze(h_);
  EXPECT_EQ(m.reads.judged, 6);
  EXPECT_EQ(m.reads.p50_ms, 0);
  // Missed writes 300..549: the oldest was acknowledged at 3002 ms.
  EXPECT_NEAR(m.reads.max_ms, 5500 - 3002, 1e-6);
  EXPECT_EQ(m.reads.max_writes, 250);
  EXPECT_NEAR(m.reads.p99_ms, 2498, 1e-6);
  EXPECT_EQ(m.reads.stale_primary_reads, 0) << "R was never a primary";
  auto e = ParseExpectation("read_staleness", "p99 < 500ms");
  ASSERT_TRUE(e.ok());
  const Verdict v = Judge({*e}, m, RunFacts{})[0];
  EXPECT_EQ(v.status, VerdictStatus::kFail);
  EXPECT_NE(v.measured_text.find("2498ms (250 writes) at p99"), std::string::npos) << v.measured_text;
}

TEST_F(ReadsTest, AReadFromTheDeposedPrimaryAfterTheNewOneTookWritesIsFlagged) {
  Read(8000, "A", 599);  // A, deposed at 6 s, still answers with what it had
  Read(8500, "R", 849);  // a replica that follows B: fine
  Read(9000, "A", 899);  // A rejoined as a replica and caught up: fine
  Read(5000, "A", 489);  // A while it was the primary, 10 writes behind: stale, not deposed
  const Measurements m = Analyze(h_);
  EXPECT_EQ(m.reads.judged, 4);
  EXPECT_EQ(m.reads.stale_primary_reads, 1);
  ASSERT_EQ(m.reads.stale_primary_examples.size(), 1u);
  EXPECT_EQ(m.reads.stale_primary_examples[0].server, "A");
  EXPECT_NEAR(m.reads.stale_primary_examples[0].at_s, 8.0, 1e-9);
  // Missed B's writes 650..799 (acknowledged from 6502 ms to 7992 ms).
  EXPECT_EQ(m.reads.stale_primary_examples[0].behind_writes, 150);
  EXPECT_NEAR(m.reads.stale_primary_examples[0].behind_ms, 8000 - 6502, 1e-6);
  auto e = ParseExpectation("stale_primary_reads", "0");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(Judge({*e}, m, RunFacts{})[0].status, VerdictStatus::kFail);
}

TEST_F(ReadsTest, ALostWriteDoesNotMakeEveryLaterReadStale) {
  h_.final_keys.erase(LedgerKey(0, 599));  // acknowledged by A, gone after the failover
  Read(9000, "R", 899);
  const Measurements m = Analyze(h_);
  EXPECT_EQ(m.lost_keys.size(), 1u);
  EXPECT_EQ(m.reads.max_writes, 0);
}

TEST_F(ReadsTest, NoReadThatSaysWhatItSawIsSkippedNotPassed) {
  const Measurements m = Analyze(h_);
  auto e = ParseExpectation("stale_primary_reads", "0");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(Judge({*e}, m, RunFacts{})[0].status, VerdictStatus::kSkipped);
}

TEST_F(ReadsTest, TheClientAndServerWriteGapsAgree) {
  const Measurements m = Analyze(h_);
  ASSERT_EQ(m.outages.size(), 1u);
  const Outage& o = m.outages[0];
  // Last write on A acknowledged at 5992 ms, first on B at 6502 ms.
  ASSERT_TRUE(o.client_gap_s && o.server_gap_s);
  EXPECT_NEAR(*o.client_gap_s, 0.510, 1e-9);
  EXPECT_NEAR(*o.server_gap_s, 0.510, 1e-9);
  EXPECT_EQ(o.gap_from, "A");
  EXPECT_EQ(o.gap_to, "B");
  EXPECT_TRUE(m.measurement_errors.empty());
  auto e = ParseExpectation("failover_time", "< 10s");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(Judge({*e}, m, RunFacts{})[0].status, VerdictStatus::kPass);
}

TEST_F(ReadsTest, AGapTheServersDisagreeWithIsAMeasurementErrorNotAnAverage) {
  for (auto& op : h_.ops)
    if (op.server == "B") *op.server_at_ns += 150 * kReadsMs;  // B's clock 150 ms ahead
  const Measurements m = Analyze(h_);
  ASSERT_EQ(m.measurement_errors.size(), 1u);
  EXPECT_NE(m.measurement_errors[0].find("disagree by 150 ms"), std::string::npos) << m.measurement_errors[0];
  auto e = ParseExpectation("failover_time", "< 10s");
  ASSERT_TRUE(e.ok());
  const Verdict v = Judge({*e}, m, RunFacts{})[0];
  EXPECT_EQ(v.status, VerdictStatus::kError);
  EXPECT_NE(v.reason.find("measurement error"), std::string::npos);
}

TEST_F(ReadsTest, TheNewFieldsSurviveTheResultFiles) {
  Read(8000, "A", 599);
  const Measurements m = Analyze(h_);
  Op w = h_.ops[10];
  const Op back = OpFromJson(OpToJson(w));
  EXPECT_EQ(back.server_at_ns, w.server_at_ns);
  const Op read = OpFromJson(OpToJson(h_.ops.back()));
  EXPECT_EQ(read.seen, std::vector<int64_t>{599});
  const Measurements again = MeasurementsFromJson(MeasurementsToJson(m));
  EXPECT_EQ(again.reads.stale_primary_reads, 1);
  EXPECT_EQ(again.reads.judged, 1);
  EXPECT_EQ(again.reads.max_writes, 150);
  ASSERT_EQ(again.outages.size(), 1u);
  EXPECT_EQ(again.outages[0].server_gap_s, m.outages[0].server_gap_s);
  EXPECT_EQ(again.outages[0].gap_to, "B");
}

}  // namespace
}  // namespace pgha
