// etcd 3.4: the DCS. Members start one by one, each once the previous one
// serves its peer API (a new member asks each peer, with a 1 s timeout,
// whether it was already bootstrapped; a peer that is bound but not yet
// serving makes that wait run out). Patroni starts once every member names
// the same leader, because Patroni retries an unreachable DCS only every 5 s.
#include "services/etcd.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "services/fixtures.h"
#include "services/targets.h"

namespace pgha {
namespace {
using nlohmann::json;

// On the host's loop volume where it has one (io_throttle slows etcd's fsyncs there), or on its durable file system.
std::string DataDir(const HostPlan& h) {
  const bool on_volume = h.data_volume > 0 && (h.data_device == "loop" || !h.data_fs.empty());
  return on_volume ? DataVolumeDir(h) + "/etcd-data" : h.dir + "/etcd-data";
}

// One member's view of the leader, answered at once (GET /health blocks
// while there is no leader, and probing it member after member wastes seconds).
std::optional<std::string> LeaderSeenBy(const ProbeContext& c, const HostPlan& h, Duration timeout) {
  auto r = c.http.Request("POST", EtcdClientApi(c.plan, h), "/v3/maintenance/status", "{}", timeout);
  if (!r.ok() || r->status != 200) return std::nullopt;
  return ParseEtcdLeader(r->body);
}

class Etcd : public Service {
 public:
  std::string Kind() const override { return "etcd"; }
  ServiceTier Tier() const override { return ServiceTier::kDcs; }
  std::map<std::string, int> DefaultPorts() const override { return {{"client", 2379}, {"peer", 2380}}; }
  std::vector<RequiredProgram> Programs() const override {
    return {{"/usr/bin/etcd", "etcd-server"}, {"/usr/bin/etcdctl", "etcd-client"}};
  }
  std::vector<VersionQuery> Versions() const override { return {{"etcd", {"/usr/bin/etcd", "--version"}}}; }
  std::vector<DirectorySpec> Directories(const ClusterPlan&, const HostPlan& h) const override {
    return {{DataDir(h), 0700, ""}};
  }

  Result<std::vector<FileSpec>> Render(const RenderContext& c) const override {
    const bool tls = c.plan.tls.links.etcd;
    const std::string scheme = tls ? "https" : "http";
    std::string initial;
    for (const auto* e : c.plan.HostsRunning("etcd"))
      initial += (initial.empty() ? "" : ",") +
                 fmt::format("{}={}://{}:{}", e->name, scheme, e->address, e->Port("etcd", "peer"));
    TemplateContext v = CommonTemplateVars(c.plan, c.host);
    v.Set("data_dir", DataDir(c.host))
        .Set("scheme", scheme)
        .SetFlag("tls", tls)
        .Set("peer_port", std::to_string(c.host.Port("etcd", "peer")))
        .Set("client_port", std::to_string(c.host.Port("etcd", "client")))
        .Set("initial_cluster", initial)
        .Set("cluster_token", c.plan.scope);
    auto text = RenderServiceConfig(c, "etcd", "etcd.conf.yml", v);
    if (!text.ok()) return text.status();
    return std::vector<FileSpec>{{c.host.dir + "/etcd.conf.yml", *text, 0644, ""}};
  }

  DaemonLaunch Launch(const ClusterPlan&, const HostPlan& h) const override {
    return ServiceDaemon("etcd", h, {"/usr/bin/etcd", "--config-file", h.dir + "/etcd.conf.yml"}, "", "/root");
  }

  Status AfterStart(const BringUpContext& b, const HostPlan& h) const override {
    Deadline deadline(b.clock, std::chrono::seconds(10));
    while (!deadline.Expired()) {
      if (Status s = b.check(); !s.ok()) return s;
      auto r = b.probe.http.Get(EtcdPeerApi(b.probe.plan, h), "/members", std::chrono::milliseconds(200));
      if (r.ok() && r->status == 200) return Status::Ok();
      b.clock.SleepFor(std::chrono::milliseconds(20));
    }
    return Status::Ok();  // not fatal: the member may still join; WaitReady has the real deadline
  }

  Status WaitReady(const BringUpContext& b) const override {
    Deadline deadline(b.clock, b.budget);
    const auto members = b.probe.plan.HostsRunning("etcd");
    while (true) {
      if (Status s = b.check(); !s.ok()) return s;
      int agree = 0;
      std::string leader;
      for (const auto* e : members) {
        auto seen = LeaderSeenBy(b.probe, *e, std::chrono::milliseconds(300));
        if (seen && (leader.empty() || *seen == leader)) {
          leader = *seen;
          ++agree;
        }
      }
      const int needed = static_cast<int>(b.majority_suffices ? members.size() / 2 + 1 : members.size());
      if (agree >= needed) {
        b.progress(fmt::format("[{:5.1f}s] etcd {}/{} agree on a leader; starting the other services",
                               ToSeconds(b.clock.Now() - b.started), agree, members.size()));
        return Status::Ok();
      }
      if (deadline.Expired())
        return Timeout(fmt::format("etcd had no leader after {:.0f}s (up_timeout): {}/{} members agree on one{}",
                                   ToSeconds(deadline.Budget()), agree, members.size(), b.diagnose("etcd")));
      b.clock.SleepFor(std::chrono::milliseconds(100));
    }
  }

  ServiceCheck Probe(const ProbeContext& c, const HostPlan& h) const override {
    ServiceCheck check{"etcd", h.name, false, false, "", {}};
    auto r = c.http.Get(EtcdClientApi(c.plan, h), "/health", c.call_timeout);
    check.answered = r.ok();
    if (!r.ok()) check.error = r.status().message();
    check.healthy = r.ok() && r->status == 200 && ParseEtcdHealthy(r->body);
    return check;
  }

  HealthPart Judge(const std::vector<ServiceCheck>& checks, const HealthFacts&,
                   const std::vector<std::string>& endpoint_problems) const override {
    int healthy = 0;
    for (const auto& c : checks) healthy += c.healthy ? 1 : 0;
    HealthPart part{fmt::format("etcd {}/{}", healthy, checks.size()), endpoint_problems};
    if (healthy != static_cast<int>(checks.size()))
      part.problems.insert(part.problems.begin(), "etcd members to report healthy");
    return part;
  }
};

}  // namespace

const Service* EtcdService() {
  static const Etcd kEtcd;
  return &kEtcd;
}

bool ParseEtcdHealthy(const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("health")) return false;
  const auto& h = j["health"];
  return (h.is_string() && h.get<std::string>() == "true") || (h.is_boolean() && h.get<bool>());
}

std::optional<std::string> ParseEtcdLeader(const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("leader")) return std::nullopt;
  const auto& l = j["leader"];
  std::string id = l.is_string()            ? l.get<std::string>()
                   : l.is_number_unsigned() ? std::to_string(l.get<uint64_t>())
                                            : "";
  if (id.empty() || id == "0") return std::nullopt;
  return id;
}

std::optional<std::string> EtcdLeaderHost(const ProbeContext& c) {
  for (const auto* e : c.plan.HostsRunning("etcd")) {
    auto r = c.http.Request("POST", EtcdClientApi(c.plan, *e), "/v3/maintenance/status", "{}",
                            std::chrono::milliseconds(500));
    if (!r.ok() || r->status != 200) continue;
    auto j = json::parse(r->body, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("header") || !j["header"].is_object()) continue;
    const auto& id = j["header"]["member_id"];
    const auto& leader = j["leader"];
    if (id.is_string() && leader.is_string() && id == leader) return e->name;
  }
  return std::nullopt;
}

}  // namespace pgha
