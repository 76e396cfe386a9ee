#include "netem/packet_engine.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <vector>

namespace pgha {
namespace {

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct Engine {
  const PacketEngineOptions& o;
  std::mt19937_64 rng;
  DelaySchedule schedule;
  std::map<uint32_t, std::vector<unsigned char>> copies;  // payloads of packets to duplicate
  PacketEngineCounts counts;
  nfq_q_handle* qh = nullptr;
  int raw = -1;
  int64_t wire_free_ns = 0;  // with a rate: when the last paced packet has left

  Engine(const PacketEngineOptions& opt)
      : o(opt), rng(opt.seed ? opt.seed : static_cast<uint64_t>(NowNs())), schedule(opt.max_held) {}

  void Accept(uint32_t id) { nfq_set_verdict(qh, id, NF_ACCEPT, 0, nullptr); }

  // A copy of the packet, sent as it is (its own IP header) with our mark.
  void SendCopy(uint32_t id) {
    auto it = copies.find(id);
    if (it == copies.end()) return;
    const auto& p = it->second;
    if (raw >= 0 && p.size() >= sizeof(iphdr)) {
      iphdr ip;
      std::memcpy(&ip, p.data(), sizeof ip);
      sockaddr_in to{};
      to.sin_family = AF_INET;
      to.sin_addr.s_addr = ip.daddr;
      if (sendto(raw, p.data(), p.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to) >= 0) ++counts.duplicated;
    }
    copies.erase(it);
  }

  void Release(const std::vector<DelaySchedule::Due>& due) {
    for (const auto& d : due) {
      Accept(d.packet_id);
      if (d.duplicate) SendCopy(d.packet_id);
    }
  }

  void OnPacket(nfq_data* nfa) {
    nfqnl_msg_packet_hdr* ph = nfq_get_msg_packet_hdr(nfa);
    if (!ph) return;
    const uint32_t id = ntohl(ph->packet_id);
    ++counts.packets;
    std::uniform_real_distribution<double> pct(0, 100);
    const bool duplicate = o.model.duplicate_percent > 0 && pct(rng) < o.model.duplicate_percent;
    unsigned char* data = nullptr;
    const int len = nfq_get_payload(nfa, &data);
    if (duplicate && len > 0) copies[id].assign(data, data + len);
    const bool skip = o.model.reorder_percent > 0 && pct(rng) < o.model.reorder_percent;
    const int64_t now = NowNs();
    int64_t due = now + static_cast<int64_t>(o.model.SampleMs(rng) * 1e6);
    if (o.rate_bps > 0) {
      due = std::max(due, wire_free_ns);
      if (due - now > o.backlog_limit_ns) {
        ++counts.dropped;
        copies.erase(id);
        nfq_set_verdict(qh, id, NF_DROP, 0, nullptr);
        return;
      }
      wire_free_ns = due + static_cast<int64_t>(std::max(len, 0) * 8e9 / o.rate_bps);
    }
    if (!skip && schedule.Hold(id, due, duplicate)) {
      ++counts.held;
      return;
    }
    if (!skip) ++counts.overflow;
    Release({{id, duplicate}});
  }
};

int OnQueued(nfq_q_handle*, nfgenmsg*, nfq_data* nfa, void* data) {
  static_cast<Engine*>(data)->OnPacket(nfa);
  return 0;
}

Status Bind(nfq_handle* h, Engine* e) {
  nfq_unbind_pf(h, AF_INET);  // kernels before 3.8 want it; later ones ignore both
  nfq_bind_pf(h, AF_INET);
  e->qh = nfq_create_queue(h, static_cast<uint16_t>(e->o.queue), &OnQueued, e);
  if (!e->qh)
    return Failed(
        fmt::format("cannot bind NFQUEUE {} ({}): is another engine on it?", e->o.queue, std::strerror(errno)));
  const bool payload = e->o.model.duplicate_percent > 0 || e->o.rate_bps > 0;  // a rate needs each packet's length
  if (nfq_set_mode(e->qh, payload ? NFQNL_COPY_PACKET : NFQNL_COPY_META, 0xffff) < 0)
    return Failed("cannot set the queue's copy mode");
  nfq_set_queue_maxlen(e->qh, static_cast<uint32_t>(e->o.max_held));
  nfq_set_queue_flags(e->qh, NFQA_CFG_F_FAIL_OPEN, NFQA_CFG_F_FAIL_OPEN);
  const int fd = nfq_fd(h);
  int on = 1;
  setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &on, sizeof on);
  int size = 4 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
  if (payload) {
    e->raw = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
    if (e->raw < 0) return Failed(fmt::format("cannot open a raw socket for duplicates: {}", std::strerror(errno)));
    setsockopt(e->raw, SOL_SOCKET, SO_MARK, &e->o.mark, sizeof e->o.mark);
  }
  return Status::Ok();
}

// Reads what the kernel queued; false on a socket error.
bool Drain(nfq_handle* h) {
  alignas(8) char buf[65536 + 4096];
  for (int i = 0; i < 256; ++i) {  // bounded: the loop must come back to release due packets
    const ssize_t n = recv(nfq_fd(h), buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS || errno == EINTR;
    nfq_handle_packet(h, buf, static_cast<int>(n));
  }
  return true;
}

}  // namespace

Result<PacketEngineCounts> RunPacketEngine(const PacketEngineOptions& o, const std::atomic<bool>& stop,
                                           const std::function<void()>& ready) {
  nfq_handle* h = nfq_open();
  if (!h)
    return Failed(
        fmt::format("cannot open netfilter_queue: {} (root and nfnetlink_queue needed)", std::strerror(errno)));
  Engine e(o);
  Status bound = Bind(h, &e);
  if (!bound.ok()) {
    if (e.qh) nfq_destroy_queue(e.qh);
    nfq_close(h);
    return bound;
  }
  if (ready) ready();
  Status result;
  while (!stop.load()) {
    const auto next = e.schedule.NextDue();
    const int64_t wait_ns = next ? std::max<int64_t>(0, *next - NowNs()) : 100'000'000;
    pollfd p{nfq_fd(h), POLLIN, 0};
    const int timeout_ms = static_cast<int>(std::min<int64_t>(100, (wait_ns + 999'999) / 1'000'000));
    if (poll(&p, 1, timeout_ms) > 0 && !Drain(h)) {
      result = Failed(fmt::format("reading the queue failed: {}", std::strerror(errno)));
      break;
    }
    e.Release(e.schedule.TakeDue(NowNs()));
  }
  e.Release(e.schedule.TakeAll());
  nfq_destroy_queue(e.qh);
  nfq_close(h);
  if (e.raw >= 0) close(e.raw);
  if (!result.ok()) return result;
  return e.counts;
}

}  // namespace pgha
