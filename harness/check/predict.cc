#include "check/predict.h"

#include <fmt/format.h>

#include "core/units.h"

namespace pgha {

std::string FailureClassName(FailureClass c) {
  switch (c) {
    case FailureClass::kProcessKill: return "process kill";
    case FailureClass::kHostLoss: return "host loss";
    case FailureClass::kHostLossEtcdLeader: return "host loss with the etcd leader";
    case FailureClass::kEtcdCut: return "etcd cut";
    case FailureClass::kGracefulStop: return "graceful stop";
  }
  return "?";
}

std::string SeverityName(Finding::Severity s) {
  return s == Finding::Severity::kUnsafe ? "unsafe" : s == Finding::Severity::kRisk ? "risk" : "slow";
}

namespace {

double S(Duration d) { return ToSeconds(d); }

// A window built term by term: each adds its own low and high.
struct Builder {
  Window w;
  void Add(const std::string& name, double low, double high) {
    w.low_s += low;
    w.high_s += high;
    w.terms.push_back(low == high ? fmt::format("{} {:.2f}s", name, low)
                                  : fmt::format("{} {:.2f}-{:.2f}s", name, low, high));
  }
};

// What follows the key's end on every path: promotion and routing.
void PromoteAndRoute(const PredictInputs& in, Builder* b) {
  b->Add("promote", 0.1, 0.3 + in.wal_retrieve_retry_interval_s);
  if (in.haproxy_known) {
    const double inter = S(in.haproxy.check_interval);
    b->Add("route", 0, inter * (in.haproxy.rise + 1));
  }
}

}  // namespace

Window PredictWindow(const PredictInputs& in, FailureClass c) {
  const double ttl = S(in.patroni.ttl), loop = S(in.patroni.loop_wait), retry = S(in.patroni.retry_timeout);
  const double e = in.election_timeout_s;
  Builder b;
  b.w.failure = c;
  switch (c) {
    case FailureClass::kProcessKill:
      b.Add("key left", ttl - loop, ttl);
      b.Add("wake", 0, loop);
      break;
    case FailureClass::kHostLoss:
      b.Add("key left", ttl - loop, ttl);
      b.Add("wake", 0, loop);
      b.Add("member", 2, 2);
      b.Add("etcd client", 0, 1);
      break;
    case FailureClass::kHostLossEtcdLeader:
      if (in.etcd_pre_vote.value_or(true))
        b.Add("election", e, 2 * e);
      else
        b.Add("election without pre-vote", e, 8 * e);  // up to 4 rounds
      b.Add("key left after the new etcd leader", ttl + e, ttl + e);
      b.Add("wake", 0, loop);
      b.Add("member", 2, 2);
      b.Add("etcd client", 0, 1);
      break;
    case FailureClass::kEtcdCut:
      b.Add("key left", ttl - loop, ttl);
      b.Add("wake", 0, loop);
      b.Add("demote", 0, retry);
      break;
    case FailureClass::kGracefulStop:
      b.Add("shutdown", 0.3, 2);
      b.Add("wake", 0, loop);
      break;
  }
  PromoteAndRoute(in, &b);
  return b.w;
}

std::vector<Window> PredictWindows(const PredictInputs& in) {
  std::vector<Window> out;
  for (auto c : {FailureClass::kProcessKill, FailureClass::kHostLoss, FailureClass::kHostLossEtcdLeader,
                 FailureClass::kEtcdCut, FailureClass::kGracefulStop})
    out.push_back(PredictWindow(in, c));
  return out;
}

PredictInputs InputsFromTopology(const Topology& t) {
  PredictInputs in;
  in.patroni = t.patroni;
  in.haproxy = t.haproxy;
  in.haproxy_known = !t.HostsRunning("haproxy").empty();
  auto it = t.patroni.postgresql_parameters.find("wal_retrieve_retry_interval");
  if (it != t.patroni.postgresql_parameters.end()) {
    if (auto d = ParseDuration(it->second); d.ok())
      in.wal_retrieve_retry_interval_s = S(*d);
    else if (auto ms = ParseNumber(it->second))
      in.wal_retrieve_retry_interval_s = *ms / 1000;  // PostgreSQL's unit for it is ms
  }
  if (t.vip.enabled()) in.vrrp_advert_int_s = S(t.vip.advert_int);
  return in;
}

void ApplyPatroniVersion(PredictInputs* in, const PatroniVersion& v) {
  const EffectivePatroni e = ApplyPatroniRules(in->patroni, v);
  in->patroni = e.applied;
  in->patroni_version = v;
  in->patroni_adjustments = e.adjustments;
}

}  // namespace pgha
