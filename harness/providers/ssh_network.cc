// SshNetwork: traffic faults on an existing host: iptables rules in our
// own chains, tc netem where the kernel has it.
#include <fmt/format.h>

#include "core/text.h"
#include "providers/ssh_provider.h"

namespace pgha {

// Once per host and run: the chains, hooked in, letting our own ssh through.
Status SshNetwork::EnsureChains(const HostPlan& host, Manifest& m) {
  for (const auto& r : m.Snapshot())
    if (r.kind == "iptables-chain" && r.scope == host.name && r.state == ResourceState::kCreated) return Status::Ok();
  const SshAccess* a = remote_.Find(host.name);
  if (!a) return Failed("the ssh provider knows no host " + host.name);
  // Where our ssh comes from, as the host sees it.
  auto who = remote_.Run(host.name, "echo ${SSH_CLIENT%% *}");
  if (!who.ok()) return who.status();
  const std::string controller = remote_.dry_run() ? "<this machine>" : Trim(who->out);
  if (controller.empty()) return Failed("cannot tell which address this machine reaches " + host.name + " from");
  auto id = m.Record(Resource::Of("iptables-chain", std::string(kSshChainIn) + "," + kSshChainOut, host.name));
  if (!id.ok()) return id.status();
  auto r = remote_.Run(host.name, ChainsScript(controller, a->port));
  if (!r.ok()) return r.status();
  if (!r->Succeeded()) return Failed(fmt::format("iptables on {}: {}", host.name, Trim(r->err)));
  return m.MarkCreated(*id);
}

Result<size_t> SshNetwork::Block(const HostPlan& host, const TrafficBlock& block, const std::string& label,
                                 Manifest& m) {
  if (Status s = EnsureChains(host, m); !s.ok()) return s;
  Resource res = Resource::Of("iptables", label, host.name);
  res.args = ChainRule(block, host.interface);
  auto id = m.Record(res);
  if (!id.ok()) return id.status();
  std::vector<std::string> argv = {"iptables", "-w", "5", "-A"};
  argv.insert(argv.end(), res.args.begin(), res.args.end());
  auto r = remote_.Run(host.name, ShellCommand(argv));
  if (!r.ok()) return r.status();
  if (!r->Succeeded()) return Failed(fmt::format("iptables on {} failed: {}", host.name, Trim(r->err)));
  m.MarkCreated(*id);
  return *id;
}

Status SshNetwork::Unblock(size_t id, Manifest& m) {
  auto snapshot = m.Snapshot();
  if (id >= snapshot.size() || snapshot[id].state == ResourceState::kRemoved) return Status::Ok();
  const Resource& res = snapshot[id];
  std::vector<std::string> argv = {"iptables", "-w", "5", "-D"};
  argv.insert(argv.end(), res.args.begin(), res.args.end());
  auto r = remote_.Run(res.scope, ShellCommand(argv));
  if (!r.ok()) return r.status();
  if (!r->Succeeded()) return Failed(fmt::format("cannot delete iptables rule {}: {}", res.name, Trim(r->err)));
  return m.MarkRemoved(id);
}

// Read-only: whether the kernel has the qdisc (loaded, or loadable).
std::string SshNetwork::WhyNoShape(const HostPlan& host, const TrafficShape& shape) {
  if (remote_.dry_run()) return "";
  const std::string module = "sch_" + shape.qdisc;
  auto r = remote_.Run(host.name, fmt::format("test -d /sys/module/{0} || modprobe -n -q {0}", module));
  if (r.ok() && r->Succeeded()) return "";
  return fmt::format("tc {} is not available on {}: its kernel has no {}", shape.qdisc, host.name, module);
}

Result<size_t> SshNetwork::Shape(const HostPlan& host, const TrafficShape& shape, const std::string& label,
                                 Manifest& m) {
  Resource res = Resource::Of("qdisc", label, host.name);
  res.args = {host.interface};
  auto id = m.Record(res);
  if (!id.ok()) return id.status();
  std::vector<std::string> argv = {"tc", "qdisc", "add", "dev", host.interface, "root", shape.qdisc};
  argv.insert(argv.end(), shape.args.begin(), shape.args.end());
  auto r = remote_.Run(host.name, ShellCommand(argv));
  if (!r.ok()) return r.status();
  if (!r->Succeeded()) return Failed(fmt::format("tc {} on {}: {}", shape.qdisc, host.name, Trim(r->err)));
  m.MarkCreated(*id);
  return *id;
}

Status SshNetwork::Unshape(size_t id, Manifest& m) {
  auto snapshot = m.Snapshot();
  if (id >= snapshot.size() || snapshot[id].state == ResourceState::kRemoved) return Status::Ok();
  const Resource& res = snapshot[id];
  const std::string dev = res.args.empty() ? "eth0" : res.args[0];
  auto r = remote_.Run(res.scope, ShellCommand({"tc", "qdisc", "del", "dev", dev, "root"}));
  if (!r.ok()) return r.status();
  return m.MarkRemoved(id);
}

}  // namespace pgha
