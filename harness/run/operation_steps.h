// The planned operations as steps (operations/registry.h), and Patroni's
// restart of several members in turn (`restart: {target: all,
// pending_restart: true}`): each journaled as it starts, so that the
// checker measures what clients saw from then on (check/analyze_operations.h).
// Internal to run/; the runner's thread.
#pragma once

#include "run/steps.h"

namespace pgha {

// A step of kind kOperation: skipped with the kind's reason where it cannot
// run; an undo it leaves is kept in c.standing.
StepRecord PlannedOperationStep(StepContext& c, const Step& step);
// A restart of every member the target means (replicas first, the leader
// last), each a POST /restart of its own, journaled as its own operation;
// with restart_pending_only, members without a pending restart are passed by.
StepRecord RestartMembersStep(StepContext& c, const Step& step);

}  // namespace pgha
