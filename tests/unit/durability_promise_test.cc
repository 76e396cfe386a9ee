// The durability matrix's promises (PostgreSQL's synchronous_commit levels
// with and without a synchronous standby, one host or two, an etcd member),
// the verdict of a measured loss against them, and the report's table.
#include <gtest/gtest.h>

#include "check/durability_promise.h"
#include "report/html.h"

namespace pgha {
namespace {

bool Safe(const std::string& level, bool sync, bool both) { return PromiseFor({level, sync, both, false}).no_loss; }

TEST(DurabilityPromise, OnlyAFlushOnTheStandbyOrItsLiveOsKeepsEveryCommit) {
  for (const char* level : {"off", "local", "remote_write", "on", "remote_apply"})
    EXPECT_FALSE(Safe(level, false, false)) << level << ": no synchronous standby";
  EXPECT_FALSE(Safe("off", true, false));
  EXPECT_FALSE(Safe("local", true, false));
  EXPECT_TRUE(Safe("remote_write", true, false));
  EXPECT_FALSE(Safe("remote_write", true, true)) << "the standby's OS lost what it had not flushed";
  EXPECT_TRUE(Safe("on", true, true));
  EXPECT_TRUE(Safe("remote_apply", true, true));
  EXPECT_FALSE(Safe("sometimes", true, false));
  EXPECT_TRUE(PromiseFor({"on", false, false, true}).no_loss) << "an etcd member";
}

TEST(DurabilityPromise, AVerdictWeighsTheLossAgainstThePromise) {
  EXPECT_EQ(DurabilityVerdict({true, ""}, 0), "kept");
  EXPECT_EQ(DurabilityVerdict({true, ""}, 2), "BROKEN");
  EXPECT_EQ(DurabilityVerdict({false, ""}, 2), "lost, as documented");
  EXPECT_EQ(DurabilityVerdict({false, ""}, 0), "none lost (not promised)");
}

TEST(DurabilityPromise, TheCutIsReadFromTheStepAsWritten) {
  auto both = PowerCutOf({"hold 5s", "power_loss on primary+sync_standby"}, "remote_write", true);
  ASSERT_TRUE(both);
  EXPECT_TRUE(both->standby_too);
  EXPECT_FALSE(both->etcd_only);
  EXPECT_EQ(both->synchronous_commit, "remote_write");
  auto two_steps = PowerCutOf({"power_loss on sync_standby", "power_loss on primary"}, "remote_write", true);
  ASSERT_TRUE(two_steps);
  EXPECT_TRUE(two_steps->standby_too) << "one step per host is a cut of both too";
  EXPECT_FALSE(PromiseFor(*two_steps).no_loss);
  auto one = PowerCutOf({"power_loss on primary"}, "remote_write", true);
  ASSERT_TRUE(one);
  EXPECT_FALSE(one->standby_too);
  auto etcd = PowerCutOf({"torn_write on etcd_leader"}, "", false);
  ASSERT_TRUE(etcd);
  EXPECT_TRUE(etcd->etcd_only);
  EXPECT_EQ(etcd->synchronous_commit, "on");
  EXPECT_FALSE(PowerCutOf({"kill patroni+postgres on primary"}, "on", true));
}

TEST(DurabilityPromise, TheReportEndsWithTheTableWhenAScenarioCutThePower) {
  ScenarioResult cut, other;
  cut.scenario.name = "power-loss-primary-and-standby-sync-remote-write";
  cut.steps.push_back({"power_loss on primary+sync_standby", 3, 1, 2, StepOutcome::kOk, ""});
  cut.settings["patroni"]["synchronous_mode"] = true;
  cut.settings["patroni"]["postgresql_parameters"] = {{"synchronous_commit", "remote_write"}};
  cut.measurements.lost_keys = {41, 42};
  other.scenario.name = "primary-kill";
  other.steps.push_back({"kill patroni on primary", 3, 1, 2, StepOutcome::kOk, ""});
  const std::string none = RenderDurability({{&other, "a"}});
  EXPECT_EQ(none, "");
  const std::string html = RenderDurability({{&other, "a"}, {&cut, "b"}});
  EXPECT_NE(html.find("<h2>Durability: promised against measured</h2>"), std::string::npos);
  EXPECT_NE(html.find("href=\"#s1\""), std::string::npos) << "linked to its own section";
  EXPECT_NE(html.find("<td>remote_write</td><td>on</td><td>primary + standby</td><td>none:"), std::string::npos)
      << html;
  EXPECT_NE(html.find("<td class=\"num\">2</td><td class=\"muted\">lost, as documented</td>"), std::string::npos)
      << html;
  EXPECT_NE(RenderHtml({{&cut, "b"}}).rfind("Durability: promised against measured"), std::string::npos);
}

}  // namespace
}  // namespace pgha
