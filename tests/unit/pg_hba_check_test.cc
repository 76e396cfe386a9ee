// An overlay's pg_hba must still let pgha-chaos and Patroni in (issue 18;
// services/pg_hba_check.h): judged line by line as PostgreSQL does, first
// match wins, from every address the clients come from.
#include "services/pg_hba_check.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "scenario/topology_loader.h"

namespace pgha {
namespace {
namespace fs = std::filesystem;

const std::vector<std::string> kFrom = {"10.77.0.1", "10.77.0.10", "10.77.0.11", "10.77.0.12", "10.77.0.13"};

std::string Judge(const std::string& lines, bool ssl = false) { return HbaLocksOut(YAML::Load(lines), kFrom, ssl); }

TEST(PgHbaCheck, TheHarnesssOwnRulesLetEveryoneIn) {
  EXPECT_EQ(Judge(R"([
    "local all all trust",
    "host replication replicator 10.77.0.0/24 scram-sha-256",
    "host all all 10.77.0.0/24 scram-sha-256"])"),
            "");
  EXPECT_EQ(Judge(R"(["host all all 0.0.0.0/0 md5", "host replication all samenet md5"])"), "");
}

TEST(PgHbaCheck, MissingReplicationIsNamedWithTheAddress) {
  // "all" does not match replication connections.
  EXPECT_EQ(Judge(R"(["host all all 10.77.0.0/24 scram-sha-256"])"),
            "user replicator for replication from 10.77.0.1: no line lets it in");
}

TEST(PgHbaCheck, AnEarlierRejectWinsAndIsQuoted) {
  EXPECT_EQ(Judge(R"([
    "host all postgres 10.77.0.13/32 reject",
    "host replication replicator 10.77.0.0/24 scram-sha-256",
    "host all all 10.77.0.0/24 scram-sha-256"])"),
            "user postgres to database postgres from 10.77.0.13: \"host all postgres 10.77.0.13/32 reject\" refuses "
            "it");
}

TEST(PgHbaCheck, ARangeThatMissesAHostOrAMethodWithoutPasswordsLocksOut) {
  EXPECT_EQ(Judge(R"(["host replication replicator 10.77.0.0/24 md5", "host all all 10.77.0.0/29 md5"])"),
            "user postgres to database postgres from 10.77.0.10: no line lets it in");
  EXPECT_EQ(Judge(R"(["host replication replicator 10.77.0.0 255.255.255.0 md5",
                      "host all all 10.77.0.0 255.255.255.0 md5"])"),
            "")
      << "an address and a mask";
  EXPECT_NE(Judge(R"(["host replication replicator 10.77.0.0/24 md5", "host all all 10.77.0.0/24 ident"])")
                .find("refuses it"),
            std::string::npos);
}

TEST(PgHbaCheck, TlsDecidesWhichHostLinesMatch) {
  const std::string hostssl =
      R"(["hostssl replication replicator 10.77.0.0/24 scram-sha-256", "hostssl all all 10.77.0.0/24 scram-sha-256"])";
  EXPECT_EQ(Judge(hostssl, true), "");
  EXPECT_NE(Judge(hostssl, false).find("no line lets it in"), std::string::npos);
  const std::string nossl = R"(["hostnossl all all all md5", "hostnossl replication all all md5"])";
  EXPECT_EQ(Judge(nossl, false), "");
  EXPECT_NE(Judge(nossl, true).find("no line lets it in"), std::string::npos);
}

TEST(PgHbaCheck, WhatCannotBeJudgedOfflineRefusesNothing) {
  EXPECT_EQ(Judge(R"(["host all +admins 10.77.0.0/24 reject"])"), "");
  EXPECT_EQ(Judge(R"(["host all all db.example.com reject"])"), "");
  EXPECT_EQ(Judge(R"(["include_dir conf.d"])"), "");
  EXPECT_EQ(HbaLocksOut(YAML::Node(), kFrom, false), "") << "no pg_hba in the overlay: the harness's own rules";
}

TEST(PgHbaCheck, ATopologyWhoseOverlayShutsTheHarnessOutIsRefusedNamingTheFix) {
  std::string pattern = (fs::temp_directory_path() / "pgha-hba-XXXXXX").string();
  const std::string dir = mkdtemp(pattern.data());
  std::ofstream(dir + "/overlay.yaml") << "postgresql:\n  pg_hba:\n    - host all all 10.77.0.0/24 scram-sha-256\n";
  std::ofstream(dir + "/t.yaml") << "name: t\nhosts:\n  - {name: node1, roles: [etcd, patroni]}\n"
                                    "  - {name: node2, roles: [etcd, patroni]}\n  - {name: lb, roles: [haproxy]}\n"
                                    "patroni:\n  config_overlay: overlay.yaml\n";
  auto t = LoadTopology(dir + "/t.yaml");
  fs::remove_all(dir);
  ASSERT_FALSE(t.ok());
  const Status s = t.status();
  EXPECT_NE(s.message().find("replaces pg_hba with rules that shut pgha-chaos out (user replicator for replication"),
            std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("\"host replication replicator 10.77.0.0/24 scram-sha-256\""), std::string::npos);
}

}  // namespace
}  // namespace pgha
