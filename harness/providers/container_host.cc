// One container: its layers and files (PrepareHost), its systemd-nspawn
// in cgroups of its own (Boot), and the wait until its systemd says
// `running` (WaitRunning). Everything is recorded before it is created.
#include <fmt/format.h>

#include <filesystem>
#include <sstream>

#include "core/files.h"
#include "core/text.h"
#include "providers/containers_provider.h"
#include "providers/host_setup.h"

namespace pgha {
namespace fs = std::filesystem;

namespace {

// The cgroups each nspawn moves itself into before it execs (no systemd
// here to give it one).
std::vector<std::string> CgroupDirs(const ContainersOptions& o, const std::string& scope) {
  std::vector<std::string> dirs;
  for (const char* hierarchy : {"unified", "systemd", "freezer"})
    dirs.push_back(fmt::format("{}/{}/pgha-{}", o.cgroup_root, hierarchy, scope));
  return dirs;
}

std::string NetworkFile(const ClusterPlan& plan, const HostPlan& h) {
  return fmt::format(
      "# written by pgha-chaos: the container's end of its veth on the run's bridge, no gateway\n"
      "[Match]\nVirtualization=container\nName=host0\n\n"
      "[Network]\nAddress={}/{}\nLinkLocalAddressing=no\nIPv6AcceptRA=no\n",
      h.address, plan.prefix);
}

std::string HostsFile(const ClusterPlan& plan) {
  std::string out = "127.0.0.1\tlocalhost\n";
  for (const auto& h : plan.hosts) out += fmt::format("{}\t{}\n", h.address, h.name);
  return out;
}

}  // namespace

int ContainerInitOf(int parent) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    auto pid = ParseInt(entry.path().filename().string());
    if (!pid) continue;
    auto status = ReadTextFile(entry.path().string() + "/status");
    if (!status.ok()) continue;
    int ppid = 0;
    std::vector<std::string> nspid;
    std::istringstream in(*status);
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("PPid:", 0) == 0) ppid = ParseInt(Trim(line.substr(5))).value_or(0);
      if (line.rfind("NSpid:", 0) == 0) nspid = Split(Trim(line.substr(6)), '\t');
    }
    if (ppid == parent && nspid.size() == 2 && Trim(nspid[1]) == "1") return *pid;
  }
  return 0;
}

Status ContainersProvider::PrepareHost(const ClusterPlan& plan, const HostPlan& h, Manifest& m) {
  const ContainerPaths p = PathsOf(plan, h);
  std::error_code ec;
  for (const auto& dir : {h.dir, p.upper, p.work, p.root}) fs::create_directories(dir, ec);
  if (ec) return Failed(fmt::format("cannot create the folders of {}: {}", h.name, ec.message()));
  Resource overlay = Resource::Of("mount", p.root);
  overlay.args = {"overlay", fmt::format("lowerdir={}/rootfs,upperdir={},workdir={}", o_.image_dir, p.upper, p.work)};
  auto id = m.Record(overlay);
  if (!id.ok()) return id.status();
  auto r = d_.runner.Run(CommandSpec::Of({"mount", "-t", "overlay", "overlay", "-o", overlay.args[1], p.root}));
  if (!r.ok()) return r.status();
  if (!r->Succeeded()) return Failed(fmt::format("cannot mount the root of {}: {}", h.name, Trim(r->err)));
  m.MarkCreated(*id);
  if (h.data_volume > 0)
    if (Status s = MountDataVolume(d_.runner, h, m); !s.ok()) return s;
  auto pub = ReadTextFile(SshKeyPath(plan.run_dir) + ".pub");
  if (!pub.ok()) return pub.status();
  for (const auto& [path, text, mode] :
       {std::tuple{"/etc/systemd/network/80-container-host0.network", NetworkFile(plan, h), 0644},
        {"/etc/hostname", h.name + "\n", 0644},
        {"/etc/hosts", HostsFile(plan), 0644},
        {"/root/.ssh/authorized_keys", *pub, 0600}}) {
    fs::create_directories(fs::path(p.root + path).parent_path(), ec);
    if (Status s = WriteFileAtomic(p.root + path, text, static_cast<mode_t>(mode)); !s.ok()) return s;
  }
  for (const auto& dir : CgroupDirs(o_, h.scope)) {
    auto cg = m.Record(Resource::Of("cgroup", dir));
    if (!cg.ok()) return cg.status();
    fs::create_directories(dir, ec);
    if (ec) return Failed(fmt::format("cannot create the cgroup {}: {}", dir, ec.message()));
    m.MarkCreated(*cg);
  }
  return Status::Ok();
}

Status ContainersProvider::Boot(const ClusterPlan& plan, const HostPlan& h, Manifest& m) {
  const ContainerPaths p = PathsOf(plan, h);
  auto veth = m.Record(Resource::Of("veth", "vb-" + h.scope));  // nspawn makes it, the namespace's end goes with it
  if (!veth.ok()) return veth.status();
  auto id = m.Record(Resource::Of("container", h.scope, h.scope));
  if (!id.ok()) return id.status();
  DaemonSpec spec;
  spec.argv = {"/bin/sh", "-c",
               "while [ \"$1\" != -- ]; do echo $$ > \"$1/cgroup.procs\" || exit 1; shift; done; shift; exec \"$@\"",
               "pgha-nspawn"};
  for (const auto& dir : CgroupDirs(o_, h.scope)) spec.argv.push_back(dir);
  spec.argv.insert(spec.argv.end(), {"--", "/usr/bin/systemd-nspawn", "--quiet", "--boot", "--directory=" + p.root,
                                     "--machine=" + h.scope, "--hostname=" + h.name,
                                     "--network-bridge=" + BridgeName(plan.run_id), "--bind=" + h.dir, "--register=no",
                                     "--keep-unit", "--resolv-conf=off", "--timezone=off", "--link-journal=no"});
  spec.log_path = p.log;
  spec.env = {{"PATH", "/usr/sbin:/usr/bin:/sbin:/bin"}, {"LANG", "C.UTF-8"}};
  auto pid = d_.runner.Spawn(spec);
  if (!pid.ok()) return pid.status().WithContext("starting container " + h.scope);
  auto st = d_.table.Stat(*pid);
  return m.MarkCreated(*id, *pid, st ? st->start_time : 0);
}

Status ContainersProvider::WaitRunning(const HostPlan& h, Manifest& m, TimePoint deadline) {
  int nspawn = 0;
  for (const auto& r : m.Snapshot())
    if (r.kind == "container" && r.name == h.scope) nspawn = r.pid;
  auto died = [&]() -> Status {
    auto log = ReadTextFile(PathsOf(h).log);
    return Failed(fmt::format("container {} ({}) stopped while booting\n--- last lines of {}\n{}", h.scope, h.name,
                              PathsOf(h).log, log.ok() ? LastLines(*log, 15) : ""));
  };
  int init = 0;
  while ((init = ContainerInitOf(nspawn)) == 0) {
    if (Status s = CheckCancel(); !s.ok()) return s;
    if (!IsSameLiveProcess(d_.table, nspawn, std::nullopt)) return died();
    if (d_.clock.Now() > deadline) return Timeout(fmt::format("container {} did not start its init", h.scope));
    d_.clock.SleepFor(std::chrono::milliseconds(20));
  }
  auto ns = m.Record(Resource::Of("netns", h.scope));
  if (!ns.ok()) return ns.status();
  if (Status s = RunIp(d_.runner, {"netns", "attach", h.scope, std::to_string(init)}); !s.ok()) return s;
  m.MarkCreated(*ns);
  std::string state;
  while (state != "running") {
    if (Status s = CheckCancel(); !s.ok()) return s;
    if (!IsSameLiveProcess(d_.table, nspawn, std::nullopt)) return died();
    auto r = shell_.Exec(h, {"systemctl", "is-system-running"}, std::chrono::seconds(5));
    state = r.ok() ? Trim(r->out) : "";
    if (state == "degraded") {
      auto failed = shell_.Exec(h, {"systemctl", "--failed", "--no-legend", "--plain"}, std::chrono::seconds(5));
      return Failed(
          fmt::format("container {} ({}) booted degraded: {}", h.scope, h.name, failed.ok() ? Trim(failed->out) : "?"));
    }
    if (d_.clock.Now() > deadline)
      return Timeout(fmt::format("container {} ({}) was not running {:.0f}s after it started (systemd says \"{}\")",
                                 h.scope, h.name, ToSeconds(o_.boot_timeout), state));
    if (state != "running") d_.clock.SleepFor(std::chrono::milliseconds(50));
  }
  return Status::Ok();
}

}  // namespace pgha
