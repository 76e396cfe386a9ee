#include "providers/durable_fs_mount.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "durablefs/durable_fs.h"

namespace pgha {

Status MountDurableFs(HostShell& shell, Clock& clock, const HostPlan& h, const std::string& program, Manifest& m) {
  const std::string mount = DataVolumeDir(h);
  std::error_code ec;
  std::filesystem::create_directories(mount, ec);
  if (ec) return Failed(fmt::format("cannot create {}: {}", mount, ec.message()));
  Resource r = Resource::Of("mount", mount);
  r.args = {kDurableFsType, VolumeMountDir(h)};
  auto id = m.Record(r);
  if (!id.ok()) return id.status();
  DaemonLaunch d;
  d.label = DurableFsDaemon(h);
  d.argv = {program, "durable-fs", "--backing", VolumeMountDir(h), "--mount", mount, "--control", DurableFsControl(h)};
  d.env = {{"PATH", "/usr/sbin:/usr/bin:/sbin:/bin"}};
  d.working_dir = h.dir;
  d.log_file = h.dir + "/durable-fs.log";
  d.shares_mounts = true;
  if (Status s = shell.StartDaemon(h, d, m); !s.ok()) return s.WithContext("starting the durable file system");
  Deadline deadline(clock, std::chrono::seconds(5));
  while (!IsDurableFsMounted(mount)) {
    if (deadline.Expired()) {
      std::ifstream log(d.log_file);
      std::stringstream text;
      text << log.rdbuf();
      return Failed(fmt::format("the durable file system of {} was not mounted on {} within 5 s: {}", h.name, mount,
                                text.str().substr(0, 400)));
    }
    clock.SleepFor(std::chrono::milliseconds(20));
  }
  return m.MarkCreated(*id);
}

}  // namespace pgha
