#include "netem/tcp_probe.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace pgha {
namespace {

using Steady = std::chrono::steady_clock;

struct Attempt {
  int fd = -1;
  Steady::time_point start;
  bool done = false;
};

double Ms(Steady::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

int StartConnect(const sockaddr_in& to) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  linger l{1, 0};  // close with RST: no TIME_WAIT left behind
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  if (connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) < 0 && errno != EINPROGRESS) {
    close(fd);
    return -2;  // failed at once: not a round trip
  }
  return fd;
}

}  // namespace

Result<std::vector<std::optional<double>>> ProbeTcp(const TcpProbeOptions& o) {
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(o.port));
  if (inet_pton(AF_INET, o.address.c_str(), &to.sin_addr) != 1)
    return InvalidInput("not an IPv4 address: " + o.address);
  if (o.count < 1 || o.count > 1000) return InvalidInput("count must be 1 to 1000");
  std::vector<Attempt> attempts(o.count);
  std::vector<std::optional<double>> rtt(o.count);
  const auto begin = Steady::now();
  const auto end = begin + o.spacing * o.count + o.timeout;
  int started = 0, open = 0;
  while (Steady::now() < end && (started < o.count || open > 0)) {
    const auto now = Steady::now();
    if (started < o.count && now >= begin + o.spacing * started) {
      Attempt& a = attempts[started++];
      a.start = Steady::now();
      a.fd = StartConnect(to);
      if (a.fd == -2)
        return Failed(fmt::format("connect to {}:{} failed at once: {}", o.address, o.port, std::strerror(errno)));
      if (a.fd >= 0) ++open;
    }
    std::vector<pollfd> fds;
    std::vector<int> which;
    for (int i = 0; i < started; ++i)
      if (!attempts[i].done && attempts[i].fd >= 0) {
        fds.push_back({attempts[i].fd, POLLOUT, 0});
        which.push_back(i);
      }
    poll(fds.data(), fds.size(), 5);
    for (size_t k = 0; k < fds.size(); ++k) {
      Attempt& a = attempts[which[k]];
      const bool timed_out = Steady::now() - a.start > o.timeout;
      if (!(fds[k].revents & (POLLOUT | POLLERR | POLLHUP)) && !timed_out) continue;
      int err = 0;
      socklen_t len = sizeof err;
      getsockopt(a.fd, SOL_SOCKET, SO_ERROR, &err, &len);
      // Connected or refused: the round trip happened. Anything else (unreachable, timed out): none measured.
      if (!timed_out && (err == 0 || err == ECONNREFUSED)) rtt[which[k]] = Ms(Steady::now() - a.start);
      close(a.fd);
      a.done = true;
      --open;
    }
  }
  for (auto& a : attempts)
    if (a.fd >= 0 && !a.done) close(a.fd);
  return rtt;
}

}  // namespace pgha
