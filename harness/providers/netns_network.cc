// NetnsNetwork: iptables rules and tc qdiscs inside a host's namespace.
#include <fmt/format.h>

#include <filesystem>

#include "providers/netns_provider.h"

namespace pgha {

std::vector<std::string> IptablesRule(const TrafficBlock& b, const std::string& interface) {
  const bool in = b.direction == TrafficBlock::Direction::kIn;
  std::vector<std::string> rule = {in ? "INPUT" : "OUTPUT"};
  if (!b.peer.empty())
    rule.insert(rule.end(), {in ? "-s" : "-d", b.peer});
  else if (b.tcp_port == 0)
    rule.insert(rule.end(), {in ? "-i" : "-o", interface});
  if (b.tcp_port != 0) rule.insert(rule.end(), {"-p", "tcp", "--dport", std::to_string(b.tcp_port)});
  if (b.probability < 1.0)
    rule.insert(rule.end(),
                {"-m", "statistic", "--mode", "random", "--probability", fmt::format("{:.4f}", b.probability)});
  if (b.queue < 0) {
    rule.insert(rule.end(), {"-j", "DROP"});
    return rule;
  }
  if (b.skip_mark != 0) rule.insert(rule.end(), {"-m", "mark", "!", "--mark", fmt::format("{:#x}", b.skip_mark)});
  rule.insert(rule.end(), {"-j", "NFQUEUE", "--queue-num", std::to_string(b.queue), "--queue-bypass"});
  return rule;
}

namespace {

std::vector<std::string> InNetns(const std::string& netns, std::vector<std::string> argv) {
  argv.insert(argv.begin(), {"/usr/bin/nsenter", "--net=/run/netns/" + netns});
  return argv;
}

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

Result<size_t> NetnsNetwork::Block(const HostPlan& host, const TrafficBlock& block, const std::string& label,
                                   Manifest& m) {
  Resource r = Resource::Of("iptables", label, host.scope);
  r.args = IptablesRule(block, host.interface);
  auto id = m.Record(r);
  if (!id.ok()) return id.status();
  std::vector<std::string> argv{"iptables", "-w", "5", "-I"};
  argv.insert(argv.end(), r.args.begin(), r.args.end());
  auto res = d_.runner.Run(CommandSpec::Of(InNetns(host.scope, argv), std::chrono::seconds(10)));
  if (!res.ok()) return res.status();
  if (!res->Succeeded()) return Failed(fmt::format("iptables on {} failed: {}", host.name, Trimmed(res->err)));
  m.MarkCreated(*id);
  return *id;
}

Status NetnsNetwork::Unblock(size_t id, Manifest& m) {
  auto snapshot = m.Snapshot();
  if (id >= snapshot.size() || snapshot[id].state == ResourceState::kRemoved) return Status::Ok();
  const Resource& r = snapshot[id];
  if (!std::filesystem::exists("/run/netns/" + r.scope)) return m.MarkRemoved(id);  // gone with its namespace
  std::vector<std::string> argv{"iptables", "-w", "5", "-D"};
  argv.insert(argv.end(), r.args.begin(), r.args.end());
  auto res = d_.runner.Run(CommandSpec::Of(InNetns(r.scope, argv), std::chrono::seconds(10)));
  if (!res.ok()) return res.status();
  if (!res->Succeeded()) return Failed(fmt::format("cannot delete iptables rule {}: {}", r.name, Trimmed(res->err)));
  return m.MarkRemoved(id);
}

std::string NetnsNetwork::WhyNoShape(const HostPlan& host, const TrafficShape& shape) {
  std::vector<std::string> add = {"tc", "qdisc", "add", "dev", host.interface, "root", shape.qdisc};
  add.insert(add.end(), shape.args.begin(), shape.args.end());
  auto r = d_.runner.Run(CommandSpec::Of(InNetns(host.scope, add), std::chrono::seconds(5)));
  if (!r.ok() || !r->Succeeded())
    return fmt::format("tc {} is not available on this machine ({}): the kernel lacks sch_{}", shape.qdisc,
                       Trimmed(r.ok() ? r->err : r.status().message()), shape.qdisc);
  d_.runner.Run(CommandSpec::Of(InNetns(host.scope, {"tc", "qdisc", "del", "dev", host.interface, "root"}),
                                std::chrono::seconds(5)));
  return "";
}

Result<size_t> NetnsNetwork::Shape(const HostPlan& host, const TrafficShape& shape, const std::string& label,
                                   Manifest& m) {
  Resource r = Resource::Of("qdisc", label, host.scope);
  r.args = {host.interface};
  auto id = m.Record(r);
  if (!id.ok()) return id.status();
  std::vector<std::string> add = {"tc", "qdisc", "add", "dev", host.interface, "root", shape.qdisc};
  add.insert(add.end(), shape.args.begin(), shape.args.end());
  auto res = d_.runner.Run(CommandSpec::Of(InNetns(host.scope, add), std::chrono::seconds(5)));
  if (!res.ok()) return res.status();
  if (!res->Succeeded())
    return Failed(fmt::format("tc {} on {} failed: {}", shape.qdisc, host.name, Trimmed(res->err)));
  m.MarkCreated(*id);
  return *id;
}

Status NetnsNetwork::Unshape(size_t id, Manifest& m) {
  auto snapshot = m.Snapshot();
  if (id >= snapshot.size() || snapshot[id].state == ResourceState::kRemoved) return Status::Ok();
  const Resource& r = snapshot[id];
  if (!std::filesystem::exists("/run/netns/" + r.scope) || r.args.empty()) return m.MarkRemoved(id);
  auto res = d_.runner.Run(
      CommandSpec::Of(InNetns(r.scope, {"tc", "qdisc", "del", "dev", r.args[0], "root"}), std::chrono::seconds(5)));
  if (!res.ok()) return res.status();
  if (!res->Succeeded()) return Failed(fmt::format("cannot delete qdisc {}: {}", r.name, Trimmed(res->err)));
  return m.MarkRemoved(id);
}

}  // namespace pgha
