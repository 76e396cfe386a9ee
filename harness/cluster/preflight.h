// Preflight checks: what a provider checks before it creates anything, so
// that bad input or a machine that lacks something fails with one clear
// error naming the fix and leaves nothing behind. Pure functions over what
// the provider reads from the machine (ids, `ip -j` output, a file test).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cluster/provider.h"
#include "core/cidr.h"
#include "core/status.h"

namespace pgha {

// One error listing every missing program with its package and the command
// that installs them.
// Whether this machine can use `path`: a program it can execute, or a shared library ("*.so*", a preload) it can read.
bool UsableHere(const std::string& path);
Status CheckPrograms(const std::vector<RequiredProgram>& programs,
                     const std::function<bool(const std::string&)>& exists);
Status CheckRoot(unsigned effective_uid, const std::string& command);
Status CheckUserExists(const std::string& user);
// `ip -j -4 addr` and `ip -j -4 route show table all` output.
Status CheckSubnetFree(const Ipv4Subnet& subnet, const std::string& ip_addr_json, const std::string& ip_route_json);
// MemAvailable of /proc/meminfo's text, in bytes (nullopt when absent).
std::optional<uint64_t> MemAvailableBytes(const std::string& meminfo);
// A data volume is a tmpfs: disk_full fills one with ballast, in memory.
// One larger than half of the memory available is refused.
Status CheckDataVolumeFits(uint64_t data_volume, uint64_t mem_available);

}  // namespace pgha
