#include "providers/netns_provider.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "cluster/preflight.h"
#include "core/files.h"
#include "core/text.h"
#include "providers/durable_fs_mount.h"
#include "providers/host_setup.h"

namespace pgha {
namespace fs = std::filesystem;

std::string NetnsName(const std::string& run_id, const std::string& host) {
  return fmt::format("pgc-{}-{}", run_id, host);
}
std::string VethName(const std::string& run_id, int index) { return fmt::format("pgc{}v{}", run_id, index); }
std::string BridgeName(const std::string& run_id) { return "pgc" + run_id + "br"; }

std::vector<int> LinuxNetnsTable::PidsIn(const std::string& netns) {
  std::vector<int> pids;
  struct stat target {};
  if (netns.empty() || stat(("/run/netns/" + netns).c_str(), &target) != 0) return pids;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    auto pid = ParseInt(entry.path().filename().string());
    if (!pid) continue;
    struct stat ns {};
    if (stat((entry.path() / "ns" / "net").c_str(), &ns) != 0) continue;
    if (ns.st_ino == target.st_ino && ns.st_dev == target.st_dev) pids.push_back(*pid);
  }
  return pids;
}

Status NetnsProvider::Place(ClusterPlan* plan) {
  for (auto& h : plan->hosts) h.scope = NetnsName(plan->run_id, h.name);
  plan->hosts_share_cache = true;  // a namespace has the machine's own files
  return Status::Ok();
}

Status NetnsProvider::Preflight(const ClusterPlan& plan, const std::vector<RequiredProgram>& services) {
  if (Status s = CheckRoot(geteuid(), "up"); !s.ok()) return s;
  if (!fs::exists("/proc/self/ns/net"))
    return EnvironmentError(
        "this kernel has no network namespaces (/proc/self/ns/net is missing); use a kernel built with CONFIG_NET_NS");
  std::vector<RequiredProgram> programs = {{"/usr/sbin/ip", "iproute2"},
                                           {"/usr/sbin/iptables", "iptables"},
                                           {"/usr/bin/nsenter", "util-linux"},
                                           {"/usr/bin/setpriv", "util-linux"}};
  programs.insert(programs.end(), services.begin(), services.end());
  if (Status s = CheckPrograms(programs, UsableHere); !s.ok()) return s;
  if (!plan.HostsRunning("patroni").empty())
    if (Status s = CheckUserExists("postgres"); !s.ok()) return s;
  if (Status s = CheckDataVolumesFitMemory(plan); !s.ok()) return s;
  auto subnet = ParseSubnet(plan.subnet);
  if (!subnet.ok()) return subnet.status();
  auto addr = d_.runner.Run(CommandSpec::Of({"ip", "-j", "-4", "addr"}));
  auto route = d_.runner.Run(CommandSpec::Of({"ip", "-j", "-4", "route", "show", "table", "all"}));
  if (!addr.ok() || !addr->Succeeded() || !route.ok() || !route->Succeeded())
    return EnvironmentError("cannot list this machine's addresses with `ip -j`; is iproute2 installed?");
  return CheckSubnetFree(*subnet, addr->out, route->out);
}

Status NetnsProvider::CreateHost(const ClusterPlan& plan, const HostPlan& h, Manifest& m) {
  auto ns_id = m.Record(Resource::Of("netns", h.scope));
  if (!ns_id.ok()) return ns_id.status();
  if (Status s = RunIp(d_.runner, {"netns", "add", h.scope}); !s.ok()) return s;
  m.MarkCreated(*ns_id);
  const std::string veth = VethName(plan.run_id, h.index);
  auto veth_id = m.Record(Resource::Of("veth", veth));
  if (!veth_id.ok()) return veth_id.status();
  if (Status s = RunIp(d_.runner, {"link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", h.scope});
      !s.ok())
    return s;
  m.MarkCreated(*veth_id);
  if (Status s = RunIp(d_.runner, {"link", "set", veth, "master", BridgeName(plan.run_id), "up"}); !s.ok()) return s;
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"addr", "add", fmt::format("{}/{}", h.address, plan.prefix), "dev", "eth0"},
           {"link", "set", "eth0", "up"},
           {"link", "set", "lo", "up"}})
    if (Status s = RunIp(d_.runner, args, h.scope); !s.ok()) return s;
  std::error_code ec;
  fs::create_directories(h.dir, ec);
  if (ec) return Failed(fmt::format("cannot create {}: {}", h.dir, ec.message()));
  if (h.data_volume == 0) return Status::Ok();
  if (Status s = MountDataVolume(d_.runner, h, m); !s.ok() || h.data_fs.empty()) return s;
  return MountDurableFs(shell_, d_.clock, h, o_.helper.empty() ? ThisProgram() : o_.helper, m);
}

Status NetnsProvider::CreateHosts(const ClusterPlan& plan, Manifest& m) {
  if (Status s = CreateRecordedDirectory(plan.run_dir, m); !s.ok()) return s;
  if (Status s = CreateBridge(d_.runner, plan, m); !s.ok()) return s;
  for (const auto& h : plan.hosts) {
    if (Status s = CheckCancel(); !s.ok()) return s;
    if (Status s = CreateHost(plan, h, m); !s.ok()) return s;
  }
  return Status::Ok();
}

std::map<std::string, std::string> NetnsProvider::Versions(const std::vector<VersionQuery>& queries) {
  std::map<std::string, std::string> v;
  for (const auto& q : queries) {
    auto r = d_.runner.Run(CommandSpec::Of(q.argv, std::chrono::seconds(10)));
    std::string out = !r.ok() || !r->Succeeded() ? "unknown" : r->out.empty() ? r->err : r->out;
    v[q.component] = out.substr(0, out.find('\n'));
  }
  return v;
}

}  // namespace pgha
