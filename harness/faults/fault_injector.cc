#include "faults/fault_injector.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "cluster/fixtures.h"
#include "core/files.h"
#include "scenario/units.h"

namespace pgha {
namespace fs = std::filesystem;

std::vector<int> FaultInjector::PidsOf(const NodePlan& node, const std::string& process) {
  std::vector<int> pids;
  if (process == "host") return env_.table.PidsInNetns(node.netns);
  if (process == "postgres") {
    auto text = ReadTextFile(PatroniDataDir(node) + "/postmaster.pid");
    if (!text.ok()) return pids;
    int postmaster = std::atoi(text->c_str());
    if (postmaster <= 1) return pids;
    // The postmaster must be one of ours: inside this node's namespace.
    auto in_ns = env_.table.PidsInNetns(node.netns);
    if (std::find(in_ns.begin(), in_ns.end(), postmaster) == in_ns.end()) return pids;
    pids.push_back(postmaster);
    for (int pid : in_ns) {
      auto st = env_.table.Stat(pid);
      if (st && st->ppid == postmaster) pids.push_back(pid);
    }
    return pids;
  }
  const std::string label = process + "@" + node.host;
  for (const auto& r : env_.manifest.Snapshot())
    if (r.kind == ResourceKind::kProcess && r.name == label && r.state == ResourceState::kCreated &&
        IsSameLiveProcess(env_.table, r.pid, r.start_time))
      pids.push_back(r.pid);
  return pids;
}

Result<uint64_t> FaultInjector::FillVolume(const NodePlan& node) {
  const std::string path = DataVolumeDir(node) + "/pgha-ballast";
  struct statvfs st {};
  if (statvfs(DataVolumeDir(node).c_str(), &st) != 0) return Failed("cannot stat the data volume of " + node.host);
  const uint64_t free_bytes = static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Failed("cannot create " + path);
  // Allocate all that is free; tmpfs takes fallocate. What the allocation
  // leaves (rounding) is written over until the filesystem says ENOSPC.
  uint64_t done = 0;
  if (free_bytes > 0 && posix_fallocate(fd, 0, static_cast<off_t>(free_bytes)) == 0) done = free_bytes;
  std::string zeros(1 << 16, '\0');
  lseek(fd, static_cast<off_t>(done), SEEK_SET);
  while (true) {
    ssize_t n = write(fd, zeros.data(), zeros.size());
    if (n <= 0) break;
    done += static_cast<uint64_t>(n);
  }
  close(fd);
  return done;
}

Status FaultInjector::AddRule(const NodePlan& node, std::vector<std::string> rule, Active* a) {
  Resource r = Resource::Of(ResourceKind::kIptablesRule, fmt::format("{}:{}", node.host, a->fault.spec.id), node.netns);
  r.args = rule;
  auto id = env_.manifest.Record(r);
  if (!id.ok()) return id.status();
  std::vector<std::string> argv{"iptables", "-w", "5", "-I"};
  argv.insert(argv.end(), rule.begin(), rule.end());
  auto res = env_.runner.Run(CommandSpec::Of(argv, std::chrono::seconds(10), node.netns));
  if (!res.ok()) return res.status();
  if (!res->Succeeded()) return Failed(fmt::format("iptables in {} failed: {}", node.netns, res->err));
  env_.manifest.MarkCreated(*id);
  a->rules.push_back(*id);
  return Status::Ok();
}

std::string FaultInjector::Check(const ResolvedFault& f) {
  if (f.spec.kind == FaultKind::kDiskFull)
    for (const auto& host : f.hosts) {
      const NodePlan* n = Node(host);
      if (!n || n->data_volume == 0) return host + " has no data volume of a set size (add data_volume to the scenario)";
    }
  if (f.spec.kind == FaultKind::kLatency) {
    const NodePlan* n = f.hosts.empty() ? nullptr : Node(f.hosts[0]);
    if (!n) return "no host to delay";
    auto r = env_.runner.Run(CommandSpec::Of({"tc", "qdisc", "add", "dev", "eth0", "root", "netem", "delay", "1ms"},
                                             std::chrono::seconds(5), n->netns));
    if (!r.ok() || !r->Succeeded()) {
      std::string why = r.ok() ? r->err : r.status().message();
      while (!why.empty() && why.back() == '\n') why.pop_back();
      return "tc netem is not available on this machine (" + why + "): the kernel lacks sch_netem";
    }
    env_.runner.Run(CommandSpec::Of({"tc", "qdisc", "del", "dev", "eth0", "root"}, std::chrono::seconds(5), n->netns));
  }
  return "";
}

Result<std::string> FaultInjector::Inject(const ResolvedFault& f) {
  Active a;
  a.fault = f;
  std::string detail;
  const auto& spec = f.spec;
  auto signal_all = [&](int sig, const char* signame) -> Status {
    for (const auto& host : f.hosts) {
      const NodePlan* n = Node(host);
      if (!n) return Failed("unknown host " + host);
      for (const auto& proc : spec.processes) {
        auto pids = PidsOf(*n, proc);
        if (pids.empty()) {
          detail += fmt::format("{} {} on {}: not running; ", signame, proc, host);
          continue;
        }
        for (int pid : pids) env_.table.Signal(pid, sig);
        std::string list;
        for (int pid : pids) list += (list.empty() ? "" : " ") + std::to_string(pid);
        detail += fmt::format("{} {} on {} (pids {}); ", signame, proc, host, list);
        if (sig == SIGSTOP) a.paused.insert(a.paused.end(), pids.begin(), pids.end());
        else if (proc != "postgres") {
          a.killed.emplace_back(host, proc);
          a.signalled.insert(a.signalled.end(), pids.begin(), pids.end());
        }
      }
    }
    return Status::Ok();
  };
  Status s;
  switch (spec.kind) {
    case FaultKind::kKill: s = signal_all(SIGKILL, "SIGKILL"); break;
    case FaultKind::kStop: s = signal_all(SIGTERM, "SIGTERM"); break;
    case FaultKind::kPause: s = signal_all(SIGSTOP, "SIGSTOP"); break;
    case FaultKind::kIsolate:
      for (const auto& host : f.hosts) {
        const NodePlan* n = Node(host);
        for (auto rule : {std::vector<std::string>{"INPUT", "-i", "eth0", "-j", "DROP"}, {"OUTPUT", "-o", "eth0", "-j", "DROP"}})
          if (s = AddRule(*n, rule, &a); !s.ok()) break;
        detail += "isolated " + host + "; ";
      }
      break;
    case FaultKind::kPartition:
      for (size_t g = 0; g < f.groups.size() && s.ok(); ++g)
        for (const auto& host : f.groups[g])
          for (size_t o = 0; o < f.groups.size() && s.ok(); ++o) {
            if (o == g) continue;
            for (const auto& other : f.groups[o]) {
              const NodePlan* n = Node(host);
              const NodePlan* peer = Node(other);
              if (s = AddRule(*n, {"INPUT", "-s", peer->address, "-j", "DROP"}, &a); !s.ok()) break;
              if (s = AddRule(*n, {"OUTPUT", "-d", peer->address, "-j", "DROP"}, &a); !s.ok()) break;
            }
          }
      for (const auto& g : f.groups) {
        std::string list;
        for (const auto& h : g) list += (list.empty() ? "" : ",") + h;
        detail += "[" + list + "] ";
      }
      detail = "partitioned " + detail;
      break;
    case FaultKind::kOneWay:
      for (const auto& host : f.hosts) {
        s = AddRule(*Node(host), {"OUTPUT", "-d", Node(f.to_host)->address, "-j", "DROP"}, &a);
        detail += fmt::format("dropping traffic from {} to {}; ", host, f.to_host);
      }
      break;
    case FaultKind::kCutEtcd:
      for (const auto& host : f.hosts) {
        s = AddRule(*Node(host), {"OUTPUT", "-p", "tcp", "--dport", std::to_string(kEtcdClientPort), "-j", "DROP"}, &a);
        detail += fmt::format("{} cannot reach any etcd client port; ", host);
      }
      break;
    case FaultKind::kPacketLoss: {
      const std::string p = fmt::format("{:.4f}", spec.loss_percent / 100.0);
      for (const auto& host : f.hosts) {
        for (auto rule : {std::vector<std::string>{"INPUT", "-i", "eth0", "-m", "statistic", "--mode", "random", "--probability", p, "-j", "DROP"},
                          {"OUTPUT", "-o", "eth0", "-m", "statistic", "--mode", "random", "--probability", p, "-j", "DROP"}})
          if (s = AddRule(*Node(host), rule, &a); !s.ok()) break;
        detail += fmt::format("{}% packet loss on {}; ", spec.loss_percent, host);
      }
      break;
    }
    case FaultKind::kLatency:
      for (const auto& host : f.hosts) {
        auto r = env_.runner.Run(CommandSpec::Of({"tc", "qdisc", "add", "dev", "eth0", "root", "netem", "delay",
                                                  fmt::format("{}ms", std::chrono::duration_cast<std::chrono::milliseconds>(spec.latency).count())},
                                                 std::chrono::seconds(5), Node(host)->netns));
        if (!r.ok() || !r->Succeeded()) s = Failed("tc netem failed on " + host);
        detail += fmt::format("{} delay on {}; ", FormatDuration(spec.latency), host);
      }
      break;
    case FaultKind::kDiskLoss:
      for (const auto& host : f.hosts) {
        std::error_code ec;
        const auto removed = fs::remove_all(PatroniDataDir(*Node(host)), ec);
        if (ec) s = Failed(fmt::format("cannot remove the data directory of {}: {}", host, ec.message()));
        detail += fmt::format("removed {} files of {}'s data directory; ", removed, host);
      }
      break;
    case FaultKind::kDiskFull:
      for (const auto& host : f.hosts) {
        auto filled = FillVolume(*Node(host));
        if (!filled.ok()) s = filled.status();
        else detail += fmt::format("filled {}'s data volume with {} MiB; ", host, *filled / (1024 * 1024));
      }
      break;
  }
  if (!s.ok()) {
    active_[spec.id] = a;  // heal what was applied
    order_.push_back(spec.id);
    return s;
  }
  active_[spec.id] = a;
  order_.push_back(spec.id);
  while (detail.size() >= 2 && detail.substr(detail.size() - 2) == "; ") detail.resize(detail.size() - 2);
  return detail;
}

Status FaultInjector::Heal(const std::string& id) {
  auto it = active_.find(id);
  if (it == active_.end()) return Status::Ok();  // healed already, or never applied
  Active& a = it->second;
  Status result;
  for (int pid : a.paused) env_.table.Signal(pid, SIGCONT);
  for (size_t rule : a.rules) {
    auto snapshot = env_.manifest.Snapshot();
    if (rule >= snapshot.size() || snapshot[rule].state == ResourceState::kRemoved) continue;
    std::vector<std::string> argv{"iptables", "-w", "5", "-D"};
    argv.insert(argv.end(), snapshot[rule].args.begin(), snapshot[rule].args.end());
    auto r = env_.runner.Run(CommandSpec::Of(argv, std::chrono::seconds(10), snapshot[rule].netns));
    if (r.ok() && r->Succeeded()) env_.manifest.MarkRemoved(rule);
    else result = Failed("cannot delete an iptables rule of " + id);
  }
  if (a.fault.spec.kind == FaultKind::kLatency)
    for (const auto& host : a.fault.hosts)
      env_.runner.Run(CommandSpec::Of({"tc", "qdisc", "del", "dev", "eth0", "root"}, std::chrono::seconds(5), Node(host)->netns));
  // A SIGTERM'd daemon may still be shutting down: wait for it (bounded),
  // or the restart would be skipped, or collide with it.
  Deadline gone(env_.clock, std::chrono::seconds(15));
  for (int pid : a.signalled)
    while (!gone.Expired() && IsSameLiveProcess(env_.table, pid, std::nullopt)) {
      env_.table.Reap(pid);
      env_.clock.SleepFor(std::chrono::milliseconds(50));
    }
  for (int pid : a.signalled) env_.table.Reap(pid);
  for (const auto& [host, daemon] : a.killed) {
    const NodePlan* n = Node(host);
    if (!PidsOf(*n, daemon).empty()) {
      result = Failed(fmt::format("{} on {} did not exit within 15 s of the signal; not restarted", daemon, host));
      continue;
    }
    if (Status s = env_.restart_daemon(*n, daemon); !s.ok()) result = s;
  }
  if (a.fault.spec.kind == FaultKind::kDiskFull)
    for (const auto& host : a.fault.hosts) {
      std::error_code ec;
      fs::remove(DataVolumeDir(*Node(host)) + "/pgha-ballast", ec);
    }
  if (a.fault.spec.kind == FaultKind::kDiskLoss)
    for (const auto& host : a.fault.hosts) {
      auto r = env_.http.Request("POST", Node(host)->address, kPatroniPort, "/reinitialize", R"({"force": true})", std::chrono::seconds(5));
      if (!r.ok() || r->status >= 300) result = Failed("Patroni refused to reinitialize " + host);
    }
  active_.erase(it);
  order_.erase(std::remove(order_.begin(), order_.end(), id), order_.end());
  return result;
}

Status FaultInjector::HealAll() {
  Status result;
  while (!order_.empty()) {
    Status s = Heal(order_.back());
    if (!s.ok()) result = s;
  }
  return result;
}

std::vector<std::string> FaultInjector::ActiveIds() const { return order_; }

}  // namespace pgha
