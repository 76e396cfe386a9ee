// keepalived 2.2 with VRRPv3: floats the topology's VIP over the hosts that
// run it. Every instance starts as BACKUP with a priority by host order
// (the first keepalived host highest) and nopreempt, so the VIP stays where
// it is until its holder fails; a track script takes a host out when its
// router stops listening. Its health: exactly one host holds the VIP,
// read from the hosts' interfaces (`ip -4 -o addr`) through the provider.
//
// keepalived forks a VRRP child that outlives a SIGKILLed parent, so kill
// and stop faults signal the children too; a SIGKILLed master keeps the VIP
// on its interface, so it is removed before the instance starts again.
#include <fmt/format.h>

#include "services/fixtures.h"
#include "services/service.h"

namespace pgha {
namespace {

// The router a keepalived host's VIP leads to, and the port its track script checks.
const ServiceSpec* RouterOf(const HostPlan& h) {
  for (const auto& s : h.services)
    if (s.kind == "haproxy" || s.kind == "pgbouncer") return &s;
  return nullptr;
}

int TrackedPort(const HostPlan& h) {
  const ServiceSpec* r = RouterOf(h);
  if (!r) return 0;
  return r->kind == "haproxy" ? r->Port("primary") : r->Port("pgbouncer");
}

std::string AdvertInt(Duration d) {
  const auto cs = std::chrono::duration_cast<std::chrono::milliseconds>(d).count() / 10;
  return fmt::format("{}.{:02}", cs / 100, cs % 100);
}

class Keepalived : public Service {
 public:
  std::string Kind() const override { return "keepalived"; }
  ServiceTier Tier() const override { return ServiceTier::kRouter; }
  std::map<std::string, int> DefaultPorts() const override { return {}; }
  bool SignalsChildren() const override { return true; }
  std::vector<RequiredProgram> Programs() const override {
    return {{"/usr/sbin/keepalived", "keepalived"}, {"/usr/bin/timeout", "coreutils"}};
  }
  std::vector<VersionQuery> Versions() const override {
    return {{"keepalived", {"/usr/sbin/keepalived", "--version"}}};
  }

  Result<std::vector<FileSpec>> Render(const RenderContext& c) const override {
    const auto hosts = c.plan.HostsRunning("keepalived");
    int rank = 0;
    for (size_t i = 0; i < hosts.size(); ++i)
      if (hosts[i]->name == c.host.name) rank = static_cast<int>(i);
    TemplateContext v = CommonTemplateVars(c.plan, c.host);
    v.Set("priority", std::to_string(150 - 10 * rank))
        .Set("advert_int", AdvertInt(c.topology.vip.advert_int))
        .Set("virtual_router_id", std::to_string(c.topology.vip.virtual_router_id))
        .Set("router_port", std::to_string(TrackedPort(c.host)));
    auto text = RenderServiceConfig(c, "keepalived", "keepalived.conf", v);
    if (!text.ok()) return text.status();
    return std::vector<FileSpec>{{c.host.dir + "/keepalived.conf", *text, 0644, ""}};
  }

  DaemonLaunch Launch(const ClusterPlan&, const HostPlan& h) const override {
    return ServiceDaemon(
        "keepalived", h,
        {"/usr/sbin/keepalived", "--dont-fork", "--log-console", "--log-detail", "--vrrp", "--use-file",
         h.dir + "/keepalived.conf", "--pid", h.dir + "/keepalived.pid", "--vrrp_pid", h.dir + "/keepalived-vrrp.pid"});
  }

  Status BeforeRestart(HostShell& shell, const ClusterPlan& plan, const HostPlan& h) const override {
    if (plan.vip.empty()) return Status::Ok();
    // "Cannot assign" when it is not there: the same as removed.
    shell.Exec(h,
               {"/usr/sbin/ip", "-4", "addr", "del", fmt::format("{}/{}", plan.vip, plan.prefix), "dev", h.interface},
               std::chrono::seconds(5));
    return Status::Ok();
  }

  ServiceCheck Probe(const ProbeContext& c, const HostPlan& h) const override {
    ServiceCheck check{"keepalived", h.name, false, false, "", {}};
    if (!c.shell) {
      check.error = "no shell to read the host's addresses";
      return check;
    }
    auto r = c.shell->Exec(h, {"/usr/sbin/ip", "-4", "-o", "addr", "show", "dev", h.interface}, c.call_timeout * 2);
    if (!r.ok() || !r->Succeeded()) {
      check.error = r.ok() ? r->err : r.status().message();
      return check;
    }
    check.answered = true;
    check.healthy = r->out.find(" " + c.plan.vip + "/") != std::string::npos;  // healthy here: holds the VIP
    return check;
  }

  HealthPart Judge(const std::vector<ServiceCheck>& checks, const HealthFacts&,
                   const std::vector<std::string>& endpoint_problems) const override {
    std::vector<std::string> holders;
    HealthPart part;
    for (const auto& c : checks) {
      if (!c.answered) part.problems.push_back(fmt::format("the addresses of {} ({})", c.host, c.error));
      if (c.healthy) holders.push_back(c.host);
    }
    std::string list;
    for (const auto& h : holders) list += (list.empty() ? "" : ", ") + h;
    if (holders.size() != 1)
      part.problems.push_back(holders.empty() ? "a host to hold the VIP"
                                              : "the VIP on one host only (on " + list + ")");
    part.summary = holders.size() == 1 ? "VIP on " + list : "VIP on " + (list.empty() ? "no host" : list);
    part.problems.insert(part.problems.end(), endpoint_problems.begin(), endpoint_problems.end());
    return part;
  }

  std::string StatusLine(const ServiceCheck& c) const override {
    if (!c.answered) return fmt::format("keepalived {}: no answer ({})", c.host, c.error);
    return fmt::format("keepalived {}: {}", c.host, c.healthy ? "holds the VIP" : "backup");
  }
};

}  // namespace

const Service* KeepalivedService() {
  static const Keepalived kKeepalived;
  return &kKeepalived;
}

}  // namespace pgha
