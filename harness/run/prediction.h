// The failover window a scenario's settings allow for its first fault on
// the primary (check/predict.h), put beside the measurement in every run's
// reports: kill of Patroni on the primary is a process kill, a stop of it
// a graceful stop, a frozen or isolated primary host (or a partition that
// leaves it alone) a host loss (the window spans both cases: with and
// without the etcd leader on that host), a primary cut from etcd an etcd
// cut. Anything else (a replica, a planned switchover, a split brain
// scenario) gets no prediction. Pure.
#pragma once

#include <optional>

#include "check/predict.h"
#include "scenario/scenario.h"

namespace pgha {

// With the settings Patroni `patroni` runs (model/patroni_rules.h).
std::optional<Window> PredictFor(const Scenario& scenario, const PatroniVersion& patroni = kDebianPatroni);

}  // namespace pgha
