// The predictor's formulas and the linter, on worked examples written out here.
#include <gtest/gtest.h>

#include <filesystem>

#include "check/predict.h"
#include "core/files.h"
#include "core/text.h"
#include "scenario/lint_inputs.h"

namespace pgha {
namespace {

bool HasFinding(const std::vector<Finding>& found, const std::string& part) {
  for (const auto& f : found)
    if (f.what.find(part) != std::string::npos) return true;
  return false;
}

PredictInputs Reference() {
  PredictInputs in;  // ttl 5s, loop_wait 1s, retry_timeout 2s; inter 250ms rise 1; wal_retrieve_retry_interval 1s
  in.wal_retrieve_retry_interval_s = 1;
  return in;
}

TEST(Predict, AProcessKillOnTheReferenceSettings) {
  // key left 4-5 + wake 0-1 + promote 0.1-1.3 + route 0-0.5 (250 ms x (rise 1 + 1)).
  const Window w = PredictWindow(Reference(), FailureClass::kProcessKill);
  EXPECT_DOUBLE_EQ(w.low_s, 4.1);
  EXPECT_DOUBLE_EQ(w.high_s, 7.8);
  ASSERT_EQ(w.terms.size(), 4u);
  EXPECT_EQ(w.terms[0], "key left 4.00-5.00s");
  EXPECT_TRUE(w.Contains(5.26)) << "primary-kill measured 5.26 s on containers";
}

TEST(Predict, AHostThatLedEtcdAddsTheElectionAndTheLeaseExtension) {
  // election 1-2 + key 5+1 + wake 0-1 + member 2 + etcd client 0-1 + promote 0.1-1.3 + route 0-0.5.
  const Window w = PredictWindow(Reference(), FailureClass::kHostLossEtcdLeader);
  EXPECT_DOUBLE_EQ(w.low_s, 9.1);
  EXPECT_DOUBLE_EQ(w.high_s, 13.8);
  const Window plain = PredictWindow(Reference(), FailureClass::kHostLoss);
  EXPECT_DOUBLE_EQ(plain.low_s, 6.1);    // 4 + 2 + 0.1
  EXPECT_DOUBLE_EQ(plain.high_s, 10.8);  // 5 + 1 + 2 + 1 + 1.3 + 0.5
}

TEST(Predict, PatronisDefaultsAreSlowAndPostgresDefaultRetryAddsFiveSeconds) {
  PredictInputs in;
  in.patroni.ttl = std::chrono::seconds(30);
  in.patroni.loop_wait = std::chrono::seconds(10);
  in.patroni.retry_timeout = std::chrono::seconds(10);
  const Window w = PredictWindow(in, FailureClass::kProcessKill);
  EXPECT_DOUBLE_EQ(w.low_s, 20.1);   // 30 - 10 + 0.1
  EXPECT_DOUBLE_EQ(w.high_s, 45.8);  // 30 + 10 + 5.3 + 0.5
  EXPECT_TRUE(w.Contains(23.26)) << "measured with Patroni's defaults (docs/topologies.md)";
  const auto found = Lint(in);
  EXPECT_TRUE(HasFinding(found, "can take up to 45.8s"));
  EXPECT_TRUE(HasFinding(found, "wal_retrieve_retry_interval is 5s"));
}

TEST(Lint, UnsafeSettingsAreFlaggedWithAFix) {
  PredictInputs in = Reference();
  in.patroni.retry_timeout = std::chrono::seconds(3);  // 1 + 2*3 = 7 > 5
  in.haproxy.shutdown_sessions = false;
  in.haproxy.check_interval = std::chrono::seconds(3);  // 3 s x fall 2 = 6 s > ttl 5 s
  in.vrrp_advert_int_s = 5;
  const auto found = Lint(in);
  EXPECT_TRUE(HasFinding(found, "loop_wait + 2*retry_timeout > ttl (1s + 2*3s > 5s)"));
  EXPECT_TRUE(HasFinding(found, "without on-marked-down shutdown-sessions"));
  EXPECT_TRUE(HasFinding(found, "longer than ttl"));
  EXPECT_TRUE(HasFinding(found, "advert_int 5s"));
  EXPECT_TRUE(HasFinding(found, "asynchronous replication"));
  EXPECT_TRUE(HasFinding(found, "no watchdog"));
  for (const auto& f : found) EXPECT_FALSE(f.fix.empty()) << f.what;
  EXPECT_TRUE(HasFinding(found, "Patroni 3.0.2 with etcd3 can write the leader key over its holder"));
  PredictInputs safe = Reference();
  safe.patroni.synchronous_mode = true;
  safe.patroni.watchdog = "required";
  safe.patroni_dcs = "etcd";  // Patroni's etcd v2 client compares the key's value before it writes
  EXPECT_TRUE(Lint(safe).empty()) << Lint(safe).front().what;
  safe.patroni_dcs = "etcd3";
  safe.patroni_version = {3, 0, 3};
  EXPECT_TRUE(Lint(safe).empty()) << Lint(safe).front().what;
}

TEST(LintInputs, HaproxyAndKeepalivedFilesAreRead) {
  PredictInputs in;
  const std::string cfg =
      "defaults\n  timeout check 1s\nlisten primary\n  bind *:5000\n"
      "  default-server inter 3s fastinter 1s fall 3 rise 2 on-marked-down shutdown-sessions\n"
      "  server pg1 10.0.0.1:5432 check port 8008\n"
      "listen replicas\n  default-server inter 500 fall 2 rise 1\n  server pg2 10.0.0.2:5432 check port 8008\n";
  ASSERT_TRUE(ReadHaproxyConfig(cfg, "haproxy.cfg", &in).ok());
  EXPECT_EQ(in.haproxy.check_interval, std::chrono::seconds(3)) << "the slowest section counts";
  EXPECT_EQ(in.haproxy.fall, 3);
  EXPECT_EQ(in.haproxy.rise, 2);
  EXPECT_FALSE(in.haproxy.shutdown_sessions) << "the replicas section lacks it";
  auto bad = ReadHaproxyConfig("listen p\n  server a 1.2.3.4:5 check inter 3x\n", "h.cfg", &in);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("h.cfg:2: inter 3x"), std::string::npos) << bad.message();
  ASSERT_TRUE(ReadKeepalivedConfig("vrrp_instance v {\n  advert_int 0.1\n}\n", "k.conf", &in).ok());
  EXPECT_DOUBLE_EQ(*in.vrrp_advert_int_s, 0.1);
}

// etcd 3.4 without pre-vote: a follower behind campaigns in vain, up to 4 rounds assumed.
TEST(LintInputs, AnEtcdConfigWithoutPreVoteWidensTheElectionAndIsFlagged) {
  const std::string dir = (std::filesystem::temp_directory_path() / ("pgha-etcd-" + RandomHex(4))).string();
  std::filesystem::create_directories(dir);
  const std::string off = dir + "/etcd-off.yml", on = dir + "/etcd-on.yml", bad = dir + "/etcd-bad.yml";
  ASSERT_TRUE(
      WriteFileAtomic(off, "name: e1\ninitial-cluster: e1=http://10.0.0.1:2380\nelection-timeout: 1000\n").ok());
  ASSERT_TRUE(WriteFileAtomic(on, "name: e1\ninitial-cluster: e1=http://10.0.0.1:2380\npre-vote: true\n").ok());
  ASSERT_TRUE(WriteFileAtomic(bad, "name: e1\nelection-timeout: 1000\npre-vote: maybe\n").ok());
  auto without = ReadLintInputs({off}, "");
  ASSERT_TRUE(without.ok()) << without.status().message();
  EXPECT_EQ(without->inputs.etcd_pre_vote, std::optional<bool>(false)) << "etcd 3.4's default";
  PredictInputs in = Reference();
  in.etcd_pre_vote = false;
  EXPECT_DOUBLE_EQ(PredictWindow(in, FailureClass::kHostLossEtcdLeader).high_s, 19.8) << "13.8 + 6 more rounds' 1s";
  EXPECT_TRUE(HasFinding(Lint(in), "etcd without pre-vote"));
  auto with = ReadLintInputs({on}, "");
  ASSERT_TRUE(with.ok()) << with.status().message();
  EXPECT_EQ(with->inputs.etcd_pre_vote, std::optional<bool>(true));
  EXPECT_EQ(with->inputs.spots.at("etcd.pre_vote").line, 3);
  in.etcd_pre_vote = true;
  EXPECT_DOUBLE_EQ(PredictWindow(in, FailureClass::kHostLossEtcdLeader).high_s, 13.8);
  EXPECT_FALSE(HasFinding(Lint(in), "etcd without pre-vote"));
  auto refused = ReadLintInputs({bad}, "");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(), bad + ":3: pre-vote is true or false");
  std::filesystem::remove_all(dir);
}

// etcd's settings as deployments write them: /etc/default/etcd, or the unit's flags over continued lines.
TEST(LintInputs, EtcdsEnvironmentFileAndUnitFlagsAreRead) {
  PredictInputs env;
  ASSERT_TRUE(ReadEtcdFlags("# etcd\nETCD_NAME=\"e1\"\nETCD_ELECTION_TIMEOUT=\"2000\"\nexport ETCD_PRE_VOTE=true\n",
                            "default/etcd", &env)
                  .ok());
  EXPECT_DOUBLE_EQ(env.election_timeout_s, 2.0);
  EXPECT_EQ(env.etcd_pre_vote, std::optional<bool>(true));
  EXPECT_EQ(env.spots.at("etcd.pre_vote").line, 4);
  const std::string unit =
      "[Unit]\nDescription=etcd\n[Service]\nExecStart=/usr/local/bin/etcd --name pg-node1 \\\n"
      "  --election-timeout 1500 \\\n  --initial-cluster-state new\nRestart=always\n";
  PredictInputs flags;
  ASSERT_TRUE(ReadEtcdFlags(unit, "etcd.service", &flags).ok());
  EXPECT_DOUBLE_EQ(flags.election_timeout_s, 1.5);
  EXPECT_EQ(flags.etcd_pre_vote, std::optional<bool>(false)) << "not written: etcd 3.4's default";
  EXPECT_EQ(DetectConfigFormat(unit), LintFormat::kEtcdFlags);
  EXPECT_EQ(DetectConfigFormat("ETCD_NAME=e1\n"), LintFormat::kEtcdFlags);
  EXPECT_EQ(DetectConfigFormat("scope: demo\n"), LintFormat::kYaml);
  PredictInputs on;
  ASSERT_TRUE(ReadEtcdFlags("[Service]\nExecStart=/usr/bin/etcd --pre-vote --name x\n", "u", &on).ok());
  EXPECT_EQ(on.etcd_pre_vote, std::optional<bool>(true)) << "a flag alone is true";
  EXPECT_EQ(ReadEtcdFlags("[Service]\nExecStart=/usr/bin/patroni /etc/patroni.yml\n", "patroni.service", &on).message(),
            "patroni.service: a systemd unit whose ExecStart is not etcd; lint reads etcd's own unit (its flags)");
  EXPECT_EQ(ReadEtcdFlags("ETCD_NAME=e1\nETCD_PRE_VOTE=yes\n", "default/etcd", &on).message(),
            "default/etcd:2: pre-vote is true or false");
  EXPECT_EQ(ReadEtcdFlags("[Service]\nExecStart=etcd --election-timeout=soon\n", "u", &on).message(),
            "u:2: election-timeout is a number of milliseconds, e.g. 1000");
}

}  // namespace
}  // namespace pgha
