#include <gtest/gtest.h>

#include "core/process.h"
#include "model/patroni.h"
#include "services/etcd.h"
#include "services/haproxy.h"

namespace pgha {
namespace {

TEST(ClusterView, ParsesPatroniCluster) {
  const char* body = R"({"members":[
    {"name":"node1","role":"leader","state":"running","host":"10.77.0.10","port":5432,"timeline":2},
    {"name":"node2","role":"replica","state":"running","host":"10.77.0.11","port":5432,"timeline":2,"lag":16},
    {"name":"node3","role":"replica","state":"stopped","host":"10.77.0.12","port":5432,"lag":"unknown"}],"scope":"x"})";
  auto m = ParsePatroniCluster(body);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->size(), 3u);
  EXPECT_TRUE((*m)[0].IsLeader());
  EXPECT_EQ((*m)[0].timeline, 2);
  EXPECT_EQ((*m)[1].lag_bytes, 16);
  EXPECT_EQ((*m)[2].lag_bytes, -1);
  EXPECT_EQ((*m)[2].timeline, -1);
  EXPECT_FALSE((*m)[2].IsRunning());
  EXPECT_FALSE(ParsePatroniCluster("<html>").ok());
  EXPECT_FALSE(ParsePatroniCluster(R"({"scope":"x"})").ok());
}

TEST(ClusterView, ParsesHaproxyCsv) {
  const char* csv =
      "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight\n"
      "stats,FRONTEND,,,0,1,2000,1,0,0,0,0,0,,,,,OPEN,\n"
      "primary,node1,0,0,0,0,200,0,0,0,,0,,0,0,0,0,UP,1\n"
      "primary,node2,0,0,0,0,200,0,0,0,,0,,0,0,0,0,DOWN,1\n"
      "primary,node3,0,0,0,0,200,0,0,0,,0,,0,0,0,0,DOWN 1/2,1\n"
      "primary,BACKEND,0,0,0,0,200,0,0,0,,0,,0,0,0,0,UP,1\n";
  auto s = ParseHaproxyCsv(csv);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->size(), 3u);
  EXPECT_TRUE((*s)[0].Up());
  EXPECT_FALSE((*s)[1].Up());
  EXPECT_FALSE((*s)[2].Up());
  EXPECT_FALSE(ParseHaproxyCsv("<html>stats</html>").ok());
}

TEST(ClusterView, EtcdHealth) {
  EXPECT_TRUE(ParseEtcdHealthy(R"({"health":"true"})"));
  EXPECT_FALSE(ParseEtcdHealthy(R"({"health":"false"})"));
  EXPECT_FALSE(ParseEtcdHealthy("404 page not found"));
}

TEST(ClusterView, EtcdLeaderFromStatus) {
  EXPECT_EQ(ParseEtcdLeader(R"({"version":"3.4.23","leader":"10276657743932975437","raftTerm":"2"})"),
            "10276657743932975437");
  EXPECT_FALSE(ParseEtcdLeader(R"({"version":"3.4.23","leader":"0"})"));
  EXPECT_FALSE(ParseEtcdLeader(R"({"version":"3.4.23"})"));
  EXPECT_FALSE(ParseEtcdLeader("404 page not found"));
}

TEST(ProcStat, ParsesStartTimeEvenWithParenthesesInTheName) {
  const std::string stat =
      "4242 (postgres: (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10 "
      "18446744073709551615";
  auto st = ParseProcStat(stat);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->state, 'S');
  EXPECT_EQ(st->start_time, 987654u);
  EXPECT_EQ(st->ppid, 1);
  EXPECT_FALSE(ParseProcStat("garbage"));
}

}  // namespace
}  // namespace pgha
