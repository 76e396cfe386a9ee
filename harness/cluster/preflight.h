// Preflight: everything `up` checks before it creates anything, so that bad
// input or a machine that lacks something fails with one clear error and
// leaves nothing behind: root, network namespaces in the kernel, the
// programs of every package the topology needs, the postgres user, and a
// subnet that does not overlap any address or route already on the machine.
// The checks are pure functions over what the glue reads.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cluster/cidr.h"
#include "cluster/topology.h"
#include "core/process.h"

namespace pgha {

struct RequiredProgram {
  std::string path;
  std::string package;
};

std::vector<RequiredProgram> RequiredPrograms(const Topology& t);
// One error listing every missing program with its package and the command
// that installs them.
Status CheckPrograms(const std::vector<RequiredProgram>& programs, const std::function<bool(const std::string&)>& exists);
Status CheckRoot(unsigned effective_uid, const std::string& command);
// `ip -j -4 addr` and `ip -j -4 route show table all` output.
Status CheckSubnetFree(const Ipv4Subnet& subnet, const std::string& ip_addr_json, const std::string& ip_route_json);

// The glue: runs all checks against this machine.
Status RunPreflight(const Topology& t, ProcessRunner& runner);

}  // namespace pgha
