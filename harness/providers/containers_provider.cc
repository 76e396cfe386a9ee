#include "providers/containers_provider.h"

#include "providers/image_packages.h"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>

#include "cluster/preflight.h"
#include "core/files.h"
#include "core/text.h"
#include "providers/host_setup.h"

namespace pgha {
namespace fs = std::filesystem;

ContainerPaths PathsOf(const ClusterPlan& plan, const HostPlan& h) {
  ContainerPaths p;
  p.base = plan.run_dir + "/.containers/" + h.name;
  p.upper = p.base + "/upper";
  p.work = p.base + "/work";
  p.root = p.base + "/root";
  p.log = p.base + "/nspawn.log";
  return p;
}

ContainerPaths PathsOf(const HostPlan& h) {
  ClusterPlan plan;
  plan.run_dir = fs::path(h.dir).parent_path().string();
  return PathsOf(plan, h);
}

std::string MachineName(const std::string& run_id, int index) { return fmt::format("pgc{}h{}", run_id, index); }
std::string SshKeyPath(const std::string& run_dir) { return run_dir + "/ssh/id_ed25519"; }

std::string NormalizedPackageList(const std::string& packages_txt) {
  std::string words;
  for (const auto& line : Split(packages_txt, '\n')) {
    if (!line.empty() && line[0] == '#') continue;
    for (const auto& w : Split(line, ' '))
      if (!Trim(w).empty()) words += (words.empty() ? "" : " ") + Trim(w);
  }
  return words;
}

Status ContainersProvider::Place(ClusterPlan* plan) {
  for (auto& h : plan->hosts) {
    h.scope = MachineName(plan->run_id, h.index);
    h.interface = "host0";  // systemd-nspawn's name for the container's end of its veth
  }
  return Status::Ok();
}

Status ContainersProvider::CheckImage() {
  const std::string rootfs = o_.image_dir + "/rootfs";
  if (!o_.packages_dir.empty() && !fs::exists(rootfs + "/lib/systemd/systemd"))
    return EnvironmentError(fmt::format(
        "no container image with the packages of {} (it would be {}): run sudo {} --packages {} (about two minutes)",
        o_.packages_dir, o_.image_dir, o_.build_image, o_.packages_dir));
  if (!fs::exists(rootfs + "/lib/systemd/systemd"))
    return EnvironmentError(fmt::format(
        "no container image in {}: run sudo {} (it installs mmdebstrap and systemd-container and builds the image, "
        "about a minute)",
        o_.image_dir, o_.build_image));
  if (o_.package_list.empty()) return Status::Ok();
  auto wanted = ReadTextFile(o_.package_list);
  auto built = ReadTextFile(o_.image_dir + "/packages");
  if (!wanted.ok()) return EnvironmentError("cannot read " + o_.package_list);
  if (!built.ok() || Trim(*built) != NormalizedPackageList(*wanted))
    return EnvironmentError(
        fmt::format("the container image in {} was built from another package list than {}: run sudo {} to rebuild it",
                    o_.image_dir, o_.package_list, o_.build_image));
  return Status::Ok();
}

Status ContainersProvider::Preflight(const ClusterPlan& plan, const std::vector<RequiredProgram>& services) {
  if (Status s = CheckRoot(geteuid(), "up --provider containers"); !s.ok()) return s;
  const std::vector<RequiredProgram> here = {{"/usr/bin/systemd-nspawn", "systemd-container"},
                                             {"/usr/sbin/ip", "iproute2"},
                                             {"/usr/sbin/iptables", "iptables"},
                                             {"/usr/bin/nsenter", "util-linux"},
                                             {"/usr/bin/ssh-keygen", "openssh-client"}};
  if (Status s = CheckPrograms(here, UsableHere); !s.ok()) return s;
  for (const char* hierarchy : {"freezer", "systemd", "unified"})
    if (!fs::exists(o_.cgroup_root + "/" + hierarchy))
      return EnvironmentError(
          fmt::format("the containers provider needs the cgroup hierarchy {}/{} (cgroup v1 with "
                      "the freezer, name=systemd and the unified hierarchy mounted)",
                      o_.cgroup_root, hierarchy));
  if (Status s = CheckImage(); !s.ok()) return s;
  if (Status s = CheckDataVolumesFitMemory(plan); !s.ok()) return s;
  if (plan.Kinds().count("watchdog"))
    return InvalidInput(
        "the emulated watchdog (patroni.watchdog: emulated) runs on the netns provider only: its fencing daemon is "
        "pgha-chaos itself, which is not in the container image");
  const std::string rootfs = o_.image_dir + "/rootfs";
  std::vector<RequiredProgram> inside;
  for (const auto& p : services) inside.push_back({p.path, p.package + " (in fixtures/image/packages.txt)"});
  if (Status s = CheckPrograms(inside, [&](const std::string& p) { return fs::exists(rootfs + p); }); !s.ok())
    return InvalidInput("the container image lacks programs the topology needs: " + s.message());
  auto addr = d_.runner.Run(CommandSpec::Of({"ip", "-j", "-4", "addr"}));
  auto route = d_.runner.Run(CommandSpec::Of({"ip", "-j", "-4", "route", "show", "table", "all"}));
  if (!addr.ok() || !addr->Succeeded() || !route.ok() || !route->Succeeded())
    return EnvironmentError("cannot list this machine's addresses with `ip -j`; is iproute2 installed?");
  auto subnet = ParseSubnet(plan.subnet);
  if (!subnet.ok()) return subnet.status();
  return CheckSubnetFree(*subnet, addr->out, route->out);
}

Status ContainersProvider::MakeSshKey(const ClusterPlan& plan, Manifest& m) {
  const std::string key = SshKeyPath(plan.run_dir);
  std::error_code ec;
  fs::create_directories(fs::path(key).parent_path(), ec);
  fs::permissions(fs::path(key).parent_path(), fs::perms(0700), ec);
  for (const auto& f : {key, key + ".pub"}) {
    auto id = m.Record(Resource::Of(kFileResource, f));
    if (!id.ok()) return id.status();
    m.MarkCreated(*id);
  }
  auto r = d_.runner.Run(
      CommandSpec::Of({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "pgha-chaos-" + plan.run_id, "-f", key}));
  if (!r.ok()) return r.status();
  if (!r->Succeeded()) return Failed("ssh-keygen failed: " + Trim(r->err));
  return Status::Ok();
}

Status ContainersProvider::CreateHosts(const ClusterPlan& plan, Manifest& m) {
  if (Status s = CreateRecordedDirectory(plan.run_dir, m); !s.ok()) return s;
  if (Status s = MakeSshKey(plan, m); !s.ok()) return s;
  if (Status s = CreateBridge(d_.runner, plan, m); !s.ok()) return s;
  for (const auto& h : plan.hosts) {
    if (Status s = CheckCancel(); !s.ok()) return s;
    if (Status s = PrepareHost(plan, h, m); !s.ok()) return s;
    if (Status s = Boot(plan, h, m); !s.ok()) return s;
  }
  // They boot side by side; each must reach `running`.
  const TimePoint deadline = d_.clock.Now() + o_.boot_timeout;
  for (const auto& h : plan.hosts)
    if (Status s = WaitRunning(h, m, deadline); !s.ok()) return s;
  return Status::Ok();
}

std::map<std::string, std::string> ContainersProvider::Versions(const std::vector<VersionQuery>& queries) {
  std::map<std::string, std::string> v;
  for (const auto& q : queries) {
    std::vector<std::string> argv = {"chroot", o_.image_dir + "/rootfs"};
    argv.insert(argv.end(), q.argv.begin(), q.argv.end());
    auto r = d_.runner.Run(CommandSpec::Of(argv, std::chrono::seconds(10)));
    std::string out = !r.ok() || !r->Succeeded() ? "unknown" : r->out.empty() ? r->err : r->out;
    v[q.component] = out.substr(0, out.find('\n'));
  }
  // The user's own packages the image was built with (--packages), by version and hash.
  if (auto debs = ReadTextFile(o_.image_dir + "/debs"); debs.ok())
    for (auto& [k, text] : BakedPackageVersions(*debs)) v[k] = text;
  return v;
}

}  // namespace pgha
