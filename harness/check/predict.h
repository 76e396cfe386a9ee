// Predict: the failover window that a cluster's settings allow, from first
// principles, for each class of failure, and what in the settings is
// unsafe or slow (`pgha-chaos lint`, and beside every run's measurement).
//
// The terms (Patroni 3.0.2, etcd 3.4, HAProxy 2.6, PostgreSQL 15):
//   key left    the leader key outlives its last renewal by ttl; renewals
//               come every loop_wait, so it is gone ttl - loop_wait to ttl
//               after the primary stopped renewing it
//   wake        replicas watch the key and act at once, at worst one loop_wait later
//   election    etcd elects a new leader election_timeout to 2x after losing
//               one, and the new leader extends every lease by ttl plus
//               the election timeout (so a key on a lost etcd leader's
//               host lives ttl + 2 to 3 election timeouts). Without
//               pre-vote (etcd 3.4's default) a follower whose log is
//               behind campaigns in vain, and its higher term restarts
//               the other follower's timer: several rounds, taken as up
//               to 4 (3 measured here on 2026-12-07, about 5 inferred
//               from a CI run's 14.3 s key lifetime)
//   member      before promoting, a replica asks every member for its WAL
//               position; a member that does not answer costs the 2 s
//               request timeout (hard-coded in Patroni 3.0.2)
//   etcd client a replica whose etcd connection went to the lost host
//               retries another member after about 1 s
//   promote     pg_ctl promote takes 0.1 to 0.3 s, plus up to
//               wal_retrieve_retry_interval if the startup process was
//               sleeping between WAL sources (PostgreSQL's default 5 s)
//   route       HAProxy marks the new primary up after `rise` checks,
//               `inter` apart: up to inter x (rise + 1)
//   demote      a primary cut from etcd demotes itself after retry_timeout
//   shutdown    a clean stop checkpoints first: taken as 0.3 to 2 s
// Every window says which terms it adds. Pure.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "model/patroni_rules.h"
#include "model/topology.h"

namespace pgha {

enum class FailureClass { kProcessKill, kHostLoss, kHostLossEtcdLeader, kEtcdCut, kGracefulStop };
std::string FailureClassName(FailureClass c);  // "process kill", ...

// The settings a prediction reads; defaults are Patroni's, HAProxy's,
// etcd's and PostgreSQL's own, which a user's files override.
// Where a setting was read: the user's file and line (lint's SARIF regions).
struct SourceSpot {
  std::string file;
  int line = 1;
};

struct PredictInputs {
  PatroniSettings patroni;
  HaproxySettings haproxy;
  bool haproxy_known = true;                 // false: no HAProxy in front (clients find the primary themselves)
  double election_timeout_s = 1.0;           // etcd --election-timeout (ms / 1000)
  std::optional<bool> etcd_pre_vote;         // etcd --pre-vote from an etcd config lint read (absent: one round)
  std::string patroni_dcs = "etcd3";         // Patroni's DCS section (etcd3, etcd, consul, ...; "" unknown)
  double wal_retrieve_retry_interval_s = 5;  // from patroni.postgresql_parameters when set
  std::optional<double> vrrp_advert_int_s;   // keepalived, when there is a VIP
  double failover_target_s = 10;             // what the deployment claims ("failover in under 10 s")
  // The Patroni the prediction is for, and what its rules changed of the
  // written settings (`patroni` holds what runs; ApplyPatroniVersion).
  PatroniVersion patroni_version = kDebianPatroni;
  std::vector<SettingAdjustment> patroni_adjustments;
  // Where each setting came from, by LintRule::setting ("patroni.ttl",
  // "haproxy.check", ...); a setting no file named is absent.
  std::map<std::string, SourceSpot> spots;
};

struct Window {
  FailureClass failure = FailureClass::kProcessKill;
  double low_s = 0, high_s = 0;
  std::vector<std::string> terms;  // "key left 4.0-5.0s", ...
  bool Contains(double s) const { return s >= low_s - 1e-9 && s <= high_s + 1e-9; }
};

struct Finding {
  enum class Severity { kUnsafe, kRisk, kSlow };
  Severity severity = Severity::kRisk;
  std::string what;  // one line
  std::string why;
  std::string fix;
  std::string rule;     // a LintRule's id
  std::string setting;  // where it points (PredictInputs::spots); "": the rule's setting
};
std::string SeverityName(Finding::Severity s);  // "unsafe", "risk", "slow"

std::vector<Window> PredictWindows(const PredictInputs& in);
Window PredictWindow(const PredictInputs& in, FailureClass c);
std::vector<Finding> Lint(const PredictInputs& in);

// Every check Lint makes, once: its stable id (SARIF's ruleId), what it
// checks, and the setting a finding of it points at in the user's files.
struct LintRule {
  std::string id;       // "timing-rule"
  std::string summary;  // one line
  std::string setting;  // a key of PredictInputs::spots
  Finding::Severity severity = Finding::Severity::kRisk;
};
const std::vector<LintRule>& LintRules();
const LintRule* FindLintRule(const std::string& id);

// The inputs a topology carries (its Patroni and HAProxy settings, its VIP),
// as written.
PredictInputs InputsFromTopology(const Topology& t);

// Replaces the written Patroni settings by what Patroni `v` runs with
// (model/patroni_rules.h) and records each change.
void ApplyPatroniVersion(PredictInputs* in, const PatroniVersion& v);

}  // namespace pgha
