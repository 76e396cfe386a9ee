// The cluster's own events: the etcd watch's answers and the services' log
// lines, put on the run's clock (observe/leader_watch.h, observe/log_events.h).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

#include "observe/leader_watch.h"
#include "observe/log_events.h"

namespace pgha {
namespace {

TEST(Base64, RoundTripsAndMatchesTheRfcVectors) {
  EXPECT_EQ(Base64Encode("/service/pgha/leader"), "L3NlcnZpY2UvcGdoYS9sZWFkZXI=");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Decode("bm9kZTI="), "node2");
  EXPECT_EQ(Base64Decode(Base64Encode("any\nbytes\x01")), "any\nbytes\x01");
}

TEST(LeaderWatch, AsksForTheKeyFromTheRevisionAfterTheLastOneSeen) {
  EXPECT_EQ(LeaderWatch::RequestBody("/service/pgha/leader", 0),
            R"({"create_request":{"key":"L3NlcnZpY2UvcGdoYS9sZWFkZXI="}})");
  EXPECT_EQ(LeaderWatch::RequestBody("/k", 42), R"({"create_request":{"key":"L2s=","start_revision":"42"}})");
}

TEST(LeaderWatch, ReadsPutsAndDeletesAsTheGatewayWritesThem) {
  int64_t next = 0;
  // The first answer: the watch was created at revision 17.
  EXPECT_TRUE(LeaderWatch::ParseLine(R"({"result":{"header":{"revision":"17"},"created":true}})", 5, &next).empty());
  EXPECT_EQ(next, 18);
  auto events = LeaderWatch::ParseLine(
      R"({"result":{"header":{"revision":"20"},"events":[{"type":"DELETE","kv":{"key":"L2s=","mod_revision":"19"}},)"
      R"({"kv":{"key":"L2s=","value":"bm9kZTI=","mod_revision":"20"}}]}})",
      1234, &next);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].revision, 19);
  EXPECT_EQ(events[0].event.kind, kEventLeaderKeyGone);
  EXPECT_EQ(events[0].event.t_ns, 1234);
  EXPECT_EQ(events[1].revision, 20);
  EXPECT_EQ(events[1].event.kind, kEventLeaderKeySet);
  EXPECT_EQ(events[1].event.subject, "node2");
  EXPECT_EQ(events[1].event.source, "etcd watch");
  EXPECT_EQ(next, 21);
  EXPECT_TRUE(LeaderWatch::ParseLine("not json", 1, &next).empty());
  EXPECT_TRUE(LeaderWatch::ParseLine(R"({"result":{"events":[{"kv":7}]}})", 1, &next).empty());
}

TEST(LogEvents, ReadsTheStampsOfEveryService) {
  EXPECT_EQ(ParseUtcStamp("1970-01-01 00:00:01.250 UTC [1] LOG: x"), 1250000000);
  EXPECT_EQ(ParseUtcStamp("1970-01-01 00:00:01,250 INFO: x"), 1250000000);
  EXPECT_EQ(ParseUtcStamp("1970-01-01T00:00:01.000001+00:00 Server"), 1000001000);
  EXPECT_EQ(ParseUtcStamp("[WARNING]  (13678) : Server p/s1 is DOWN"), -1);
  EXPECT_EQ(ParseUtcStamp("2026-12-03 02:37"), -1);
}

TEST(LogEvents, FindsThePhasesOfAFailoverInTheLogsOnTheRunsClock) {
  const int64_t start = ParseUtcStamp("2026-12-03 02:00:00.000");
  const std::string patroni =
      "2026-12-03 02:00:09,990 INFO: no action. I am (node2), a secondary, and following a leader (node1)\n"
      "2026-12-03 02:00:10,120 INFO: promoted self to leader by acquiring session lock\n"
      "2026-12-03 02:00:10.181 UTC [812] LOG:  selected new timeline ID: 3\n"
      "2026-12-03 02:00:10.262 UTC [810] LOG:  database system is ready to accept connections\n"
      "2026-12-03 02:00:11.000 UTC [810] LOG:  database system is ready to accept read-only connections\n";
  auto events = EventsFromLog("node2", "patroni.log", patroni, start);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].kind, kEventTookLeaderKey);
  EXPECT_EQ(events[0].t_ns, 10120000000);
  EXPECT_EQ(events[1].kind, kEventNewTimeline);
  EXPECT_EQ(events[1].source, "postgresql log");
  EXPECT_EQ(events[1].subject, "node2");
  EXPECT_EQ(events[1].t_ns, 10181000000);
  EXPECT_EQ(events[2].kind, kEventAcceptsWrites);

  const std::string haproxy =
      "[WARNING]  (99) : Server primary/node1 is DOWN, reason: Layer7 wrong status\n"
      "2026-12-03T02:00:08.500250+00:00 Server primary/node1 is DOWN, reason: Layer7 wrong status, code: 503\n"
      "2026-12-03T02:00:10.400001+00:00 Server primary/node2 is UP, reason: Layer7 check passed, code: 200\n"
      "2026-12-03T02:00:10.500000+00:00 Server replicas/node1 is UP, reason: Layer7 check passed\n";
  events = EventsFromLog("lb", "haproxy.log", haproxy, start);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, kEventRoutedDown);
  EXPECT_EQ(events[0].subject, "node1");
  EXPECT_EQ(events[1].kind, kEventRoutedUp);
  EXPECT_EQ(events[1].subject, "node2");
  EXPECT_EQ(events[1].host, "lb");
  EXPECT_EQ(events[1].t_ns, 10400001000);
  EXPECT_TRUE(EventsFromLog("node1", "etcd.log", patroni, start).empty()) << "Patroni's lines in etcd's log";
}

// Lines etcd 3.4.23 logged in a partition-minority run (ids shortened).
TEST(LogEvents, ReadsEtcdsElectionsAndSlowDiskWarnings) {
  const int64_t start = ParseUtcStamp("2026-12-07 21:35:00.000");
  const std::string etcd =
      R"({"level":"info","ts":"2026-12-07T21:35:16.698Z","caller":"raft/node.go:333","msg":"raft.node: 86cf lost )"
      R"(leader 80ed at term 3"})"
      "\n"
      R"({"level":"info","ts":"2026-12-07T21:35:16.700Z","caller":"raft/raft.go:771","msg":"86cf became leader at )"
      R"(term 3"})"
      "\n"
      R"({"level":"info","ts":"2026-12-07T21:35:16.700Z","caller":"raft/node.go:327","msg":"raft.node: 86cf elected )"
      R"(leader 86cf at term 3"})"
      "\n"
      R"({"level":"warn","ts":"2026-12-07T21:35:17.250Z","caller":"wal/wal.go:805","msg":"slow fdatasync","took":)"
      R"("1.2s","expected-duration":"1s"})"
      "\n"
      R"({"level":"warn","ts":"not a time","caller":"raft/raft.go:771","msg":"86cf became leader at term 4"})"
      "\n";
  const auto events = EventsFromLog("node2", "etcd.log", etcd, start);
  ASSERT_EQ(events.size(), 2u) << "only the winner's own line counts, once; a line without a stamp gives nothing";
  EXPECT_EQ(events[0].kind, kEventEtcdLeader);
  EXPECT_EQ(events[0].subject, "node2");
  EXPECT_EQ(events[0].source, "etcd log");
  EXPECT_EQ(events[0].t_ns, 16700000000);
  EXPECT_EQ(events[1].kind, kEventEtcdSlowDisk);
  EXPECT_EQ(events[1].t_ns, 17250000000);
}

}  // namespace
}  // namespace pgha

namespace pgha {
namespace {

// Two etcd members; each stream delivers its lines on the first call, then
// stays quiet (a timeout after 5 ms).
class TwoMembers : public HttpClient {
 public:
  Result<HttpResponse> Request(const std::string&, const HttpTarget&, const std::string&, const std::string&,
                               Duration) override {
    return Unavailable("not used");
  }
  Status PostStream(const HttpTarget& target, const std::string& path, const std::string& body, Duration,
                    const std::function<bool(const std::string&)>& on_data) override {
    EXPECT_EQ(path, "/v3/watch");
    EXPECT_NE(body.find("create_request"), std::string::npos);
    std::string lines;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (served_.insert(target.host).second)
        lines = target.host == "a" ? Line("DELETE", 5) + Line("PUT", 6) : Line("DELETE", 5) + Line("PUT", 7);
    }
    if (!lines.empty()) on_data(lines);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return Timeout("quiet");
  }

 private:
  static std::string Line(const std::string& type, int rev) {
    return fmt::format(R"({{"result":{{"events":[{{"type":"{}","kv":{{"value":"bm9kZTI=","mod_revision":"{}"}}}}]}}}})",
                       type, rev) +
           "\n";
  }
  std::mutex mu_;
  std::set<std::string> served_;
};

TEST(LeaderWatch, WatchesEveryMemberAndRecordsEachChangeOnce) {
  SystemClock clock;
  Recorder rec(clock);
  TwoMembers http;
  HttpTarget a, b;
  a.host = "a";
  b.host = "b";
  LeaderWatch watch(http, rec, {a, b}, "/service/pgha/leader", std::chrono::milliseconds(50));
  watch.Start();
  const Deadline deadline(clock, std::chrono::seconds(5));
  while (rec.Snapshot().events.size() < 3 && !deadline.Expired()) clock.SleepFor(std::chrono::milliseconds(5));
  clock.SleepFor(std::chrono::milliseconds(50));
  watch.Stop();
  const auto events = rec.Snapshot().events;
  ASSERT_EQ(events.size(), 3u) << "revision 5 came from both members and is recorded once";
  int gone = 0;
  for (const auto& e : events) gone += e.kind == kEventLeaderKeyGone ? 1 : 0;
  EXPECT_EQ(gone, 1);
}

}  // namespace
}  // namespace pgha
