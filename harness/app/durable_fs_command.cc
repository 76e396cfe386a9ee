// `pgha-chaos durable-fs`: the durable file system (durablefs/durable_fs.h)
// that the netns provider mounts under a host's data volume. Prints
// "ready" once mounted; serves until SIGTERM. Hidden from --help.
#include <csignal>
#include <cstdio>

#include "app/commands.h"
#include "app/system.h"
#include "durablefs/durable_fs.h"

namespace pgha {

int RunDurableFsCommand(const DurableFsCommandOptions& o) {
  DurableFsOptions d;
  d.backing = o.backing;
  d.mount = o.mount;
  d.control = o.control;
  d.cache.max_dirty_bytes = static_cast<uint64_t>(o.max_dirty_mib) << 20;
  d.cache.write_back_after = std::chrono::milliseconds(o.write_back_after_ms);
  // libfuse installs its own handlers only over the defaults (this program's Ctrl-C handler is not).
  for (int sig : {SIGTERM, SIGINT, SIGHUP}) std::signal(sig, SIG_DFL);
  Status s = RunDurableFs(d, [&] {
    std::printf("ready: %s over %s, control %s\n", o.mount.c_str(), o.backing.c_str(), o.control.c_str());
    std::fflush(stdout);
  });
  if (!s.ok()) {
    PrintError(s.message());
    return ExitCodeFor(s);
  }
  std::printf("stopped: the cache was written back\n");
  return 0;
}

}  // namespace pgha
