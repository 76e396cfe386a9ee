// The fault kinds a scenario can name, in one list (registry.cc). A new
// kind is a new file in faults/ defining its FaultType and one line in
// registry.cc's list.
#pragma once

#include <string>
#include <vector>

#include "faults/fault_type.h"

namespace pgha {

const std::vector<const FaultType*>& AllFaultTypes();
// nullptr for an unknown name.
const FaultType* FindFaultType(const std::string& name);
// "cut_etcd, disk_full, ...": the names, sorted, for messages.
std::string FaultTypeNames();

// The first step after which a leader change is no false failover: a fault
// that may fail over ("kill f1") or a planned switchover or failover; ""
// when there is none (only slow-node and clock faults, or none at all).
std::string FailoverExpectedBy(const std::vector<Step>& steps);
// Every process whose clock some step's fault moves, once each.
std::vector<std::string> MovedClocks(const std::vector<Step>& steps);

// For tests: a kind added to the registry while this object lives.
class ScopedFaultType {
 public:
  explicit ScopedFaultType(const FaultType* type);
  ~ScopedFaultType();
  ScopedFaultType(const ScopedFaultType&) = delete;
  ScopedFaultType& operator=(const ScopedFaultType&) = delete;

 private:
  const FaultType* type_;
};

}  // namespace pgha
