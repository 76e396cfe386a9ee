// The planned operations a scenario's steps can name (`pause: cluster`,
// `edit_config: {...}`, `pgbouncer: pause`): each kind is a file of this
// folder and one line of registry.cc. Patroni's switchover, failover,
// restart and reinitialize are steps of their own (run/steps.cc); all of
// them are measured as operations (check/analyze_operations.h).
#pragma once

#include <string>
#include <vector>

#include "operations/operation_type.h"

namespace pgha {

const std::vector<const OperationType*>& AllOperationTypes();
const OperationType* FindOperationType(const std::string& name);
std::string OperationTypeNames();  // sorted, comma-separated

}  // namespace pgha
