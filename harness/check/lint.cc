// Lint: what in a cluster's settings is unsafe, risky or slow, each with
// the reason and the fix (check/predict.h).
#include <fmt/format.h>

#include "check/predict.h"
#include "core/units.h"

namespace pgha {
namespace {

using Sev = Finding::Severity;

void Timing(const PredictInputs& in, std::vector<Finding>* out) {
  const auto& p = in.patroni;
  if (p.loop_wait + 2 * p.retry_timeout > p.ttl)
    out->push_back({Sev::kUnsafe,
                    fmt::format("loop_wait + 2*retry_timeout > ttl ({} + 2*{} > {})", FormatDuration(p.loop_wait),
                                FormatDuration(p.retry_timeout), FormatDuration(p.ttl)),
                    "a primary that loses etcd for a moment may not notice before its key expires: two primaries "
                    "(Patroni " +
                        in.patroni_version.ToString() + " does not check this rule)",
                    "raise ttl or lower retry_timeout until loop_wait + 2*retry_timeout <= ttl", "timing-rule", ""});
  if (p.retry_timeout < std::chrono::seconds(2))
    out->push_back({Sev::kUnsafe, fmt::format("retry_timeout {} is under 2s", FormatDuration(p.retry_timeout)),
                    "seen in a sweep (2026-12-02, ttl 5s or 3s): after primary-kill no member could take the leader "
                    "key for minutes, every attempt 'Error communicating with DCS'; Patroni 3.0.2 splits retry_timeout "
                    "over the etcd members with at least 1 s each, and with none left over it does not retry a "
                    "failed request (patroni/dcs/etcd.py, _calculate_timeouts)",
                    "retry_timeout: 2s or more (the reference settings: 2s with ttl 5s)", "retry-timeout-short", ""});
  const Window kill = PredictWindow(in, FailureClass::kProcessKill);
  if (kill.high_s > in.failover_target_s)
    out->push_back(
        {Sev::kSlow,
         fmt::format("a killed primary can take up to {:.1f}s to fail over, over the {:g}s target", kill.high_s,
                     in.failover_target_s),
         "the leader key must expire first: ttl " + FormatDuration(p.ttl) + " and loop_wait " +
             FormatDuration(p.loop_wait) + " set most of it",
         "the fastest Patroni " + in.patroni_version.ToString() +
             " runs as written: " + DescribeTimings(FastestTimings(in.patroni_version)) +
             (in.patroni_version >= PatroniVersion{3, 2, 0} ? " (only a Patroni before 3.2.0 runs ttl under 20s)" : ""),
         "slow-failover", ""});
  if (in.wal_retrieve_retry_interval_s > 1)
    out->push_back({Sev::kSlow, fmt::format("wal_retrieve_retry_interval is {:g}s", in.wal_retrieve_retry_interval_s),
                    "a replica promoted while it waits between WAL sources sleeps that long first (seen: 5 s)",
                    "postgresql parameter wal_retrieve_retry_interval: 1s", "wal-retrieve-retry", ""});
}

void Safety(const PredictInputs& in, std::vector<Finding>* out) {
  const auto& p = in.patroni;
  if (!p.synchronous_mode)
    out->push_back(
        {Sev::kRisk,
         fmt::format("asynchronous replication (maximum_lag_on_failover {} bytes)", p.maximum_lag_on_failover),
         "a failover may promote a replica that lacks acknowledged writes: \"zero data loss\" does not "
         "hold (partition-minority lost 17,732 writes at 2000/s)",
         "synchronous_mode: true (and synchronous_mode_strict where writes must stop rather than be lost)",
         "async-replication", ""});
  if (p.synchronous_mode && p.loop_wait > std::chrono::seconds(1))
    out->push_back({Sev::kRisk, fmt::format("synchronous_mode with loop_wait {}", FormatDuration(p.loop_wait)),
                    "after bring-up and after every failover the primary acknowledges writes without a synchronous "
                    "standby until Patroni's next loop names one (seen: a write lost 5 s after healthy with "
                    "loop_wait 10s)",
                    "loop_wait 1s; and synchronous_mode_strict where a write must wait rather than be lost",
                    "sync-loop-wait", ""});
  if (in.patroni_dcs == "etcd3" && in.patroni_version < PatroniVersion{3, 0, 3})
    out->push_back(
        {Sev::kRisk,
         fmt::format("Patroni {} with etcd3 can write the leader key over its holder", in.patroni_version.ToString()),
         "a primary whose lease expired while it was frozen or cut off writes the key back without a "
         "compare when it returns (patroni PR #2689); the member promoted meanwhile is rewound and its "
         "writes are lost (isolate-primary lost 439 writes at a heal in a CI run; "
         "patroni-2689-leader-key-overwrite)",
         "Patroni 3.0.3 or later", "patroni-overwrites-leader-key", ""});
  if (p.watchdog == "off")
    out->push_back({Sev::kRisk, "no watchdog",
                    "a frozen Patroni leaves its PostgreSQL taking writes after a replica was promoted: split brain "
                    "(split-brain measured 10 s of two primaries and about 400 lost writes)",
                    "watchdog: {mode: required} with a real /dev/watchdog (softdog) on every Patroni host",
                    "no-watchdog", ""});
}

void Routing(const PredictInputs& in, std::vector<Finding>* out) {
  if (in.haproxy_known) {
    const auto& h = in.haproxy;
    if (!h.shutdown_sessions)
      out->push_back({Sev::kUnsafe, "HAProxy without on-marked-down shutdown-sessions",
                      "clients connected to a deposed primary keep their sessions and may write to it",
                      "default-server ... on-marked-down shutdown-sessions", "haproxy-keeps-sessions", ""});
    if (h.check_interval * h.fall > in.patroni.ttl)
      out->push_back({Sev::kSlow,
                      fmt::format("HAProxy needs {} ({} x fall {}) to mark a primary down, longer than ttl {}",
                                  FormatDuration(h.check_interval * h.fall), FormatDuration(h.check_interval), h.fall,
                                  FormatDuration(in.patroni.ttl)),
                      "clients are sent to the old primary after Patroni has given up on it",
                      "inter 250ms fall 2 (or anything under ttl)", "haproxy-slow-check", ""});
  }
  if (in.vrrp_advert_int_s && 3 * *in.vrrp_advert_int_s > in.failover_target_s)
    out->push_back({Sev::kSlow, fmt::format("keepalived advert_int {:g}s", *in.vrrp_advert_int_s),
                    "a backup takes the VIP after about three missed adverts, over the failover target",
                    "advert_int 0.1 to 1 (VRRPv3 takes fractions)", "keepalived-slow-advert", ""});
}

// etcd's elections, when an etcd config was read.
void Etcd(const PredictInputs& in, std::vector<Finding>* out) {
  if (in.etcd_pre_vote.value_or(true)) return;
  const Window w = PredictWindow(in, FailureClass::kHostLossEtcdLeader);
  out->push_back(
      {Sev::kSlow, "etcd without pre-vote (etcd 3.4's default)",
       fmt::format("when the etcd leader's host is lost, a follower whose log is behind campaigns in vain and its "
                   "higher term restarts the other's timer: several election rounds, each restarting the leader "
                   "key's lease (up to {:.1f}s to fail over; measured here: 3 rounds, and 14.3 s of key lifetime on "
                   "a CI run); a member back from a partition deposes the leader with its term (outages of 1 to 4 "
                   "s at heal)",
                   w.high_s),
       "pre-vote on every member: pre-vote: true in its config file, --pre-vote or ETCD_PRE_VOTE=true (the default "
       "from etcd 3.5)",
       "etcd-pre-vote-off", ""});
}

// What the Patroni the prediction is for runs instead of what was written.
void Adjusted(const PredictInputs& in, std::vector<Finding>* out) {
  const std::string v = in.patroni_version.ToString();
  for (const auto& a : in.patroni_adjustments)
    out->push_back({Sev::kRisk,
                    fmt::format("Patroni {} runs {} {}, not the {} written", v, a.setting, a.applied, a.written),
                    a.rule + "; it logs \"" + a.log_line + "\" and every window here is predicted with " + a.applied,
                    fmt::format("write what runs ({}: {}), so that the files, the predictions and the reports agree",
                                a.setting, a.applied),
                    "patroni-adjusts-setting", "patroni." + a.setting});
}

}  // namespace

const std::vector<LintRule>& LintRules() {
  static const std::vector<LintRule> kRules = {
      {"timing-rule", "loop_wait + 2*retry_timeout must not exceed ttl", "patroni.ttl", Sev::kUnsafe},
      {"retry-timeout-short", "retry_timeout under 2s leaves Patroni no retry against etcd", "patroni.retry_timeout",
       Sev::kUnsafe},
      {"slow-failover", "a killed primary can take longer to fail over than the claimed target", "patroni.ttl",
       Sev::kSlow},
      {"wal-retrieve-retry", "wal_retrieve_retry_interval over 1s delays a promotion",
       "postgresql.wal_retrieve_retry_interval", Sev::kSlow},
      {"async-replication", "asynchronous replication: a failover may lose acknowledged writes",
       "patroni.synchronous_mode", Sev::kRisk},
      {"sync-loop-wait", "synchronous_mode with loop_wait over 1s acknowledges writes without a synchronous standby",
       "patroni.loop_wait", Sev::kRisk},
      {"no-watchdog", "no watchdog: a frozen Patroni can leave two primaries", "patroni.watchdog", Sev::kRisk},
      {"patroni-overwrites-leader-key", "Patroni before 3.0.3 with etcd3 can write the leader key over its holder",
       "patroni.version", Sev::kRisk},
      {"haproxy-keeps-sessions", "HAProxy keeps the sessions of a primary it marked down", "haproxy.shutdown_sessions",
       Sev::kUnsafe},
      {"haproxy-slow-check", "HAProxy takes longer than ttl to mark a primary down", "haproxy.check", Sev::kSlow},
      {"keepalived-slow-advert", "keepalived's advert_int moves the VIP slower than the target",
       "keepalived.advert_int", Sev::kSlow},
      {"etcd-pre-vote-off", "etcd without pre-vote takes several election rounds and is deposed at heal",
       "etcd.pre_vote", Sev::kSlow},
      {"patroni-adjusts-setting", "the Patroni version runs another value than the one written", "patroni.ttl",
       Sev::kRisk},
  };
  return kRules;
}

const LintRule* FindLintRule(const std::string& id) {
  for (const auto& r : LintRules())
    if (r.id == id) return &r;
  return nullptr;
}

std::vector<Finding> Lint(const PredictInputs& in) {
  std::vector<Finding> out;
  Adjusted(in, &out);
  Timing(in, &out);
  Safety(in, &out);
  Routing(in, &out);
  Etcd(in, &out);
  return out;
}

}  // namespace pgha
