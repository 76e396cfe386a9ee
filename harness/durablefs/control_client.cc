#include "durablefs/control_client.h"

#include <fmt/format.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace pgha {
namespace {

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

using Steady = std::chrono::steady_clock;

// Waits for `events` on fd until `until`; false on the deadline.
bool WaitFor(int fd, short events, Steady::time_point until) {
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Steady::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, events, 0};
    const int r = poll(&p, 1, static_cast<int>(left));
    if (r > 0) return true;
    if (r < 0 && errno != EINTR) return false;
  }
}

}  // namespace

Result<std::map<std::string, std::string>> SendControl(const std::string& socket_path, const ControlRequest& request,
                                                       std::chrono::milliseconds deadline) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof(addr.sun_path))
    return InvalidInput(
        fmt::format("the control socket's path {} is longer than {} bytes", socket_path, sizeof(addr.sun_path) - 1));
  std::memcpy(addr.sun_path, socket_path.c_str(), socket_path.size() + 1);
  Fd s{socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)};
  if (s.fd < 0) return Failed(fmt::format("socket: {}", std::strerror(errno)));
  const auto until = Steady::now() + deadline;
  if (connect(s.fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 && errno != EINPROGRESS)
    return Failed(fmt::format("cannot reach the durable file system at {}: {}", socket_path, std::strerror(errno)));
  const std::string line = request.Format() + "\n";
  size_t sent = 0;
  while (sent < line.size()) {
    if (!WaitFor(s.fd, POLLOUT, until)) return Failed("the durable file system did not take the request in time");
    const ssize_t n = send(s.fd, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EINTR) return Failed(fmt::format("send: {}", std::strerror(errno)));
    if (n > 0) sent += static_cast<size_t>(n);
  }
  std::string reply;
  while (reply.find('\n') == std::string::npos) {
    if (reply.size() > 65536) return Failed("the durable file system's reply is too long");
    if (!WaitFor(s.fd, POLLIN, until))
      return Failed(
          fmt::format("the durable file system did not answer \"{}\" within {} ms", request.verb, deadline.count()));
    char buf[4096];
    const ssize_t n = recv(s.fd, buf, sizeof(buf), 0);
    if (n == 0) break;
    if (n < 0 && errno != EAGAIN && errno != EINTR) return Failed(fmt::format("recv: {}", std::strerror(errno)));
    if (n > 0) reply.append(buf, static_cast<size_t>(n));
  }
  return ParseControlReply(reply.substr(0, reply.find('\n')));
}

}  // namespace pgha
