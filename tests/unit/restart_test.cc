#include <gtest/gtest.h>

#include "cluster/workdir.h"
#include "deploy/deployer.h"
#include "unit/provider_fixture.h"

namespace pgha {
namespace {

// A heal's restart of Patroni waits for a majority of etcd to agree on a
// leader (Patroni 3.0.2 exits at start-up when its first lease request
// fails), and for no more than that.
using namespace testing;

class RestartTest : public ProviderTest {
 protected:
  // Restarts Patroni on node1 of a healthy compact cluster while etcd's
  // members name the leaders `leaders` until `agree_after` status requests
  // have been answered, then all name "7". Returns the seconds the restart took.
  double RestartWhile(const std::vector<std::string>& leaders, int agree_after) {
    AnswerHealthy();
    auto cluster = Up();
    EXPECT_TRUE(cluster.ok()) << cluster.status().message();
    if (!cluster.ok()) return -1;
    struct ElectingHttp : FakeHttpClient {
      int left = 0;
      Result<HttpResponse> Request(const std::string& m, const HttpTarget& h, const std::string& path,
                                   const std::string& b, Duration t) override {
        if (path == "/v3/maintenance/status" && left > 0 && --left == 0)
          for (const char* a : {"10.77.0.10", "10.77.0.11", "10.77.0.12"}) AnswerEtcd(a, "7");
        return FakeHttpClient::Request(m, h, path, b, t);
      }
    } http;
    http.responses = http_.responses;
    const char* members[] = {"10.77.0.10", "10.77.0.11", "10.77.0.12"};
    for (size_t i = 0; i < leaders.size(); ++i) {
      if (leaders[i].empty())
        http.responses.erase(std::string("POST ") + members[i] + ":2379/v3/maintenance/status");
      else
        http.AnswerEtcd(members[i], leaders[i]);
    }
    http.left = agree_after;
    auto manifest = Manifest::Open(ManifestPath(workdir_, "abc123"));
    NetnsProvider provider(Deps(), NetnsOptions{false, ""});
    const size_t spawned = runner_.spawned.size();
    const TimePoint start = clock_.Now();
    RestartContext c{provider, **manifest, {cluster->plan, cluster->secrets, http, sql_}, clock_};
    EXPECT_TRUE(RestartServiceAfterDcs(c, *cluster->plan.Find("node1"), "patroni").ok());
    EXPECT_EQ(runner_.spawned.size(), spawned + 1) << "Patroni started again";
    return ToSeconds(clock_.Now() - start);
  }
};

TEST_F(RestartTest, PatroniStartsAgainOnlyOnceAMajorityOfEtcdAgreesOnALeader) {
  // Three members, three leaders: an election; it ends after 30 questions (ten rounds).
  const double waited = RestartWhile({"7", "9", "11"}, 30);
  EXPECT_GT(waited, 0.5);
  EXPECT_LT(waited, 2.0);
}

TEST_F(RestartTest, TwoOfThreeAgreeingIsEnoughWhileTheThirdIsCutOff) {
  EXPECT_LT(RestartWhile({"7", "7", ""}, 0), 0.05);
}

TEST_F(RestartTest, AnElectionThatNeverEndsDelaysTheRestartByTenSecondsAtMost) {
  const double waited = RestartWhile({"7", "9", "11"}, 0);
  EXPECT_GE(waited, 10.0);
  EXPECT_LT(waited, 11.0);
}

}  // namespace
}  // namespace pgha
