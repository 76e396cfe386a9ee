// ClusterView: what target resolution knows of a running cluster at one
// moment (Patroni's members and leader, etcd's leader, the VIP's holders),
// and TargetHosts, the one resolver of a step's target to host names that
// both the run (a fresh view per step, targets.cc) and the dry run (one
// read-only look) use. Pure.
#pragma once

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/status.h"
#include "model/cluster_plan.h"
#include "model/patroni.h"
#include "model/steps.h"

namespace pgha {

struct ClusterView {
  std::optional<std::vector<PatroniMember>> members;    // nullopt: no Patroni member answered
  std::string leader;                                   // "" when no member holds the leader key
  std::optional<std::string> etcd_leader;               // nullopt: not looked at, or no member says it leads
  std::optional<std::vector<std::string>> vip_holders;  // nullopt: not looked at
};

// The host names target `t` means in `view`; Unavailable, saying why, when
// the view cannot tell. A replica is drawn with `rng` among the running ones.
Result<std::vector<std::string>> TargetHosts(const TargetSpec& t, const ClusterPlan& plan, const ClusterView& view,
                                             std::mt19937_64& rng);
// What a dry run assumes when the view cannot tell: the first host of the role.
std::vector<std::string> GuessTargetHosts(const TargetSpec& t, const ClusterPlan& plan);

}  // namespace pgha
