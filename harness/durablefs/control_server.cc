#include "durablefs/control_server.h"

#include <fmt/format.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace pgha {

// One request per connection, answered in turn; the loop ends when `stop` is set.
void ServeControl(int listener, DurableState& state, const std::atomic<bool>& stop) {
  while (!stop.load()) {
    pollfd p{listener, POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    const int c = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) continue;
    timeval tv{2, 0};  // a client that sends nothing is dropped after 2 s
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    std::string line;
    char buf[1024];
    while (line.find('\n') == std::string::npos && line.size() < 4096) {
      const ssize_t n = recv(c, buf, sizeof(buf), 0);
      if (n <= 0) break;
      line.append(buf, static_cast<size_t>(n));
    }
    if (line.find('\n') != std::string::npos) {
      const std::string reply = state.Control(line.substr(0, line.find('\n'))) + "\n";
      if (send(c, reply.data(), reply.size(), MSG_NOSIGNAL) < 0) std::perror("send");
    }
    close(c);
  }
}

Result<int> ListenControl(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path)) return InvalidInput("the control socket's path is too long: " + path);
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  unlink(path.c_str());
  const int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0) return Failed(fmt::format("socket: {}", std::strerror(errno)));
  if (bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || listen(s, 16) != 0) {
    const int e = errno;
    close(s);
    return Failed(fmt::format("cannot listen on {}: {}", path, std::strerror(e)));
  }
  return s;
}

}  // namespace pgha
