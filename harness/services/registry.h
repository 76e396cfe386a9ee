// The service kinds a topology can name, in one list (registry.cc). A new
// kind is a new file in services/ and one line in registry.cc.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "services/service.h"

namespace pgha {

// Every kind, ordered by tier (DCS, database, routers), then as listed.
const std::vector<const Service*>& AllServices();
// nullptr for an unknown kind.
const Service* FindService(const std::string& kind);
// "etcd, patroni, haproxy, ...": the roles a topology may name, for messages.
std::string ServiceKindList();

// What a cluster needs from the machine and reports: the union over the
// service kinds it runs (Topology::Kinds, ClusterPlan::Kinds).
std::vector<RequiredProgram> ProgramsFor(const std::set<std::string>& kinds);
std::vector<VersionQuery> VersionsFor(const std::set<std::string>& kinds);

}  // namespace pgha
