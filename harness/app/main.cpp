// pgha-chaos: stands up a real PostgreSQL HA cluster (etcd, Patroni,
// PostgreSQL, HAProxy) on a provider's hosts (network namespaces by
// default) and proves or disproves what it claims. main only makes the
// process safe to run and hands over to the command line (app/cli.h).
#include <fcntl.h>
#include <unistd.h>

#include <exception>

#include "app/cli.h"
#include "core/cancel.h"

#ifndef PGHA_SOURCE_DIR
#define PGHA_SOURCE_DIR "."
#endif

int main(int argc, char** argv) {
  // Children inherit our stdio: make sure 0-2 are open, whatever started us.
  for (int fd = 0; fd < 3; ++fd)
    if (fcntl(fd, F_GETFD) < 0) open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
  pgha::InstallCancelHandlers();
  // An exception that escapes a thread of ours is our bug: one line, exit 3.
  std::set_terminate([] {
    static const char kLine[] = "pgha-chaos: error: internal error (a bug in pgha-chaos; please report it)\n";
    [[maybe_unused]] const ssize_t n = write(2, kLine, sizeof kLine - 1);
    _exit(3);
  });
  return pgha::RunCommandLine(argc, argv, PGHA_SOURCE_DIR);
}
