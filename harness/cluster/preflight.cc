#include "cluster/preflight.h"

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <limits>
#include <set>
#include <sstream>

namespace pgha {
using nlohmann::json;

bool UsableHere(const std::string& path) {
  const bool library = std::filesystem::path(path).filename().string().find(".so") != std::string::npos;
  return access(path.c_str(), library ? R_OK : X_OK) == 0;
}

Status CheckPrograms(const std::vector<RequiredProgram>& programs,
                     const std::function<bool(const std::string&)>& exists) {
  std::vector<std::string> missing;
  std::set<std::string> packages;
  for (const auto& p : programs)
    if (!exists(p.path)) {
      missing.push_back(fmt::format("{} (package {})", p.path, p.package));
      packages.insert(p.package);
    }
  if (missing.empty()) return Status::Ok();
  std::string list, pkgs;
  for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
  for (const auto& p : packages) pkgs += " " + p;
  return EnvironmentError(
      fmt::format("missing {}; install with: sudo tools/setup.sh (or apt-get install{})", list, pkgs));
}

Status CheckRoot(unsigned uid, const std::string& command) {
  if (uid == 0) return Status::Ok();
  return EnvironmentError(fmt::format(
      "`pgha-chaos {}` must run as root: it creates the cluster's hosts and starts PostgreSQL as the postgres user; "
      "run it with sudo",
      command));
}

Status CheckSubnetFree(const Ipv4Subnet& subnet, const std::string& addr_json, const std::string& route_json) {
  auto addrs = json::parse(addr_json, nullptr, false);
  if (addrs.is_array())
    for (const auto& link : addrs) {
      if (!link.contains("addr_info")) continue;
      for (const auto& a : link["addr_info"]) {
        auto ip = ParseIpv4(a.value("local", ""));
        if (!ip.ok()) continue;
        int len = a.value("prefixlen", 32);
        Ipv4Subnet other{len == 0 ? 0 : *ip & (~uint32_t{0} << (32 - len)), len};
        if (subnet.Overlaps(other))
          return EnvironmentError(
              fmt::format("subnet {} overlaps {}/{} on {}: it is in use on this machine; choose a free one with "
                          "--subnet, e.g. 10.78.0.0/24",
                          subnet.ToString(), a.value("local", ""), len, link.value("ifname", "?")));
      }
    }
  auto routes = json::parse(route_json, nullptr, false);
  if (routes.is_array())
    for (const auto& r : routes) {
      std::string dst = r.value("dst", "");
      if (dst.empty() || dst == "default") continue;
      if (dst.find('/') == std::string::npos) dst += "/32";
      auto other = ParseSubnet(dst);
      if (!other.ok() || other->prefix == 0) continue;
      if (r.value("type", "unicast") == "broadcast" || r.value("type", "unicast") == "local") continue;
      if (subnet.Overlaps(*other))
        return EnvironmentError(
            fmt::format("subnet {} overlaps the route to {} on {}: it is in use on this machine; choose a free one "
                        "with --subnet, e.g. 10.78.0.0/24",
                        subnet.ToString(), dst, r.value("dev", "?")));
    }
  return Status::Ok();
}

std::optional<uint64_t> MemAvailableBytes(const std::string& meminfo) {
  std::istringstream in(meminfo);
  for (std::string key; in >> key;) {
    uint64_t kib = 0;
    if (key == "MemAvailable:" && in >> kib) return kib * 1024;
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return std::nullopt;
}

Status CheckDataVolumeFits(uint64_t data_volume, uint64_t mem_available) {
  if (data_volume == 0 || data_volume <= mem_available / 2) return Status::Ok();
  constexpr double kMiB = 1024.0 * 1024.0;
  return InvalidInput(fmt::format(
      "data_volume {:.0f} MiB is more than half of the memory this machine has available ({:.0f} MiB): data volumes "
      "are tmpfs, and disk_full would fill one with ballast in memory; use at most {:.0f} MiB",
      data_volume / kMiB, mem_available / kMiB, mem_available / 2 / kMiB));
}

Status CheckUserExists(const std::string& user) {
  if (getpwnam(user.c_str()) != nullptr) return Status::Ok();
  return EnvironmentError(fmt::format(
      "there is no {} user on this machine (postgres comes with postgresql-15): run sudo tools/setup.sh", user));
}

}  // namespace pgha
