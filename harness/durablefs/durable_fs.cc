#include "durablefs/durable_fs.h"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <fstream>
#include <thread>

#include "core/text.h"
#include "durablefs/control_server.h"
#include "durablefs/fuse_ops.h"

namespace pgha {
namespace {

struct FuseArgs {
  fuse_args args = FUSE_ARGS_INIT(0, nullptr);
  FuseArgs() {
    for (const char* a :
         {"pgha-durable", "-o", "allow_other,default_permissions,fsname=pgha-durable,subtype=pgha-durable"})
      fuse_opt_add_arg(&args, a);
  }
  ~FuseArgs() { fuse_opt_free_args(&args); }
};

}  // namespace

Status RunDurableFs(const DurableFsOptions& o, const std::function<void()>& ready) {
  DurableState state(o.cache);
  FuseContext context{o.backing, &state};
  FuseArgs args;
  fuse* f = fuse_new(&args.args, &DurableFsOperations(), sizeof(fuse_operations), &context);
  if (!f) return Failed("fuse_new failed (its message is above)");
  if (fuse_mount(f, o.mount.c_str()) != 0) {
    fuse_destroy(f);
    return Failed(fmt::format("cannot mount on {}: is /dev/fuse there, and are we root?", o.mount));
  }
  auto listener = ListenControl(o.control);
  if (!listener.ok()) {
    fuse_unmount(f);
    fuse_destroy(f);
    return listener.status();
  }
  fuse_set_signal_handlers(fuse_get_session(f));
  std::atomic<bool> stop{false};
  // Our threads block SIGTERM and SIGINT: they must reach the main thread, whose wait in the loop they end.
  sigset_t blocked, previous;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGTERM);
  sigaddset(&blocked, SIGINT);
  pthread_sigmask(SIG_BLOCK, &blocked, &previous);
  std::thread control(ServeControl, *listener, std::ref(state), std::cref(stop));
  std::thread write_back([&] {
    while (!stop.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      state.WriteBack();
    }
  });
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  ready();
  fuse_loop_config config{};
  config.clone_fd = 0;
  config.max_idle_threads = 16;
  const int served = fuse_loop_mt(f, &config);
  stop.store(true);
  control.join();
  write_back.join();
  close(*listener);
  unlink(o.control.c_str());
  state.SyncAll();
  fuse_remove_signal_handlers(fuse_get_session(f));
  fuse_unmount(f);
  fuse_destroy(f);
  return served == 0 || served == SIGTERM || served == SIGINT ? Status::Ok()
                                                              : Failed(fmt::format("the FUSE loop ended: {}", served));
}

bool IsDurableFsMounted(const std::string& mount) {
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  while (std::getline(in, line)) {  // "36 35 0:42 / /mnt rw,relatime shared:1 - fuse.pgha-durable pgha-durable rw"
    const auto words = Split(line, ' ');
    const auto dash = std::find(words.begin(), words.end(), "-");
    if (words.size() > 4 && words[4] == mount && dash != words.end() && dash + 1 != words.end() &&
        *(dash + 1) == kDurableFsType)
      return true;
  }
  return false;
}

}  // namespace pgha
