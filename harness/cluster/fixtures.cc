#include "cluster/fixtures.h"

#include <fmt/format.h>

#include "cluster/template.h"
#include "core/files.h"
#include "scenario/units.h"

namespace pgha {

Result<FixtureTemplates> LoadFixtureTemplates(const std::string& dir) {
  FixtureTemplates t;
  for (auto [file, out] : {std::pair{"patroni.yml", &t.patroni}, {"etcd.conf.yml", &t.etcd}, {"haproxy.cfg", &t.haproxy}}) {
    auto text = ReadTextFile(dir + "/" + file);
    if (!text.ok())
      return EnvironmentError(fmt::format("cannot read {}/{}: point --fixtures at the project's fixtures/ folder", dir, file));
    *out = *text;
  }
  return t;
}

std::string DataVolumeDir(const NodePlan& n) { return n.dir + "/volume"; }
std::string PatroniDataDir(const NodePlan& n) { return n.data_volume > 0 ? DataVolumeDir(n) + "/pgdata" : n.dir + "/pgdata"; }
std::string EtcdDataDir(const NodePlan& n) { return n.dir + "/etcd-data"; }

namespace {

std::string Bool(bool b) { return b ? "true" : "false"; }

int64_t Seconds(Duration d) { return std::chrono::duration_cast<std::chrono::seconds>(d).count(); }
int64_t Millis(Duration d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); }

TemplateContext Common(const ClusterPlan& plan, const NodePlan& node) {
  TemplateContext c;
  c.Set("scope", plan.scope)
      .Set("name", node.host)
      .Set("address", node.address)
      .Set("subnet", plan.subnet)
      .Set("node_dir", node.dir)
      .Set("postgres_port", std::to_string(kPostgresPort))
      .Set("patroni_port", std::to_string(kPatroniPort));
  return c;
}

}  // namespace

Result<std::string> RenderPatroniConfig(const ClusterPlan& plan, const NodePlan& node, const Secrets& secrets,
                                        const std::string& tmpl) {
  const auto& p = plan.topology.patroni;
  std::string etcd_hosts;
  for (const auto* e : plan.EtcdNodes()) etcd_hosts += (etcd_hosts.empty() ? "" : ",") + fmt::format("{}:{}", e->address, kEtcdClientPort);
  TemplateContext c = Common(plan, node);
  c.Set("etcd_hosts", etcd_hosts)
      .Set("ttl", std::to_string(Seconds(p.ttl)))
      .Set("loop_wait", std::to_string(Seconds(p.loop_wait)))
      .Set("retry_timeout", std::to_string(Seconds(p.retry_timeout)))
      .Set("maximum_lag_on_failover", std::to_string(p.maximum_lag_on_failover))
      .Set("synchronous_mode", Bool(p.synchronous_mode))
      .Set("synchronous_mode_strict", Bool(p.synchronous_mode_strict))
      .Set("use_pg_rewind", Bool(p.use_pg_rewind))
      .Set("data_dir", PatroniDataDir(node))
      .Set("superuser_password", secrets.superuser_password)
      .Set("replication_password", secrets.replication_password)
      .Set("rewind_password", secrets.rewind_password);
  auto& params = c.lists["postgresql_parameters"];
  for (const auto& [k, v] : p.postgresql_parameters) {
    TemplateContext item;
    item.Set("key", k).Set("value", v);
    params.push_back(item);
  }
  return RenderTemplate(tmpl, c, "fixtures/patroni.yml");
}

Result<std::string> RenderEtcdConfig(const ClusterPlan& plan, const NodePlan& node, const std::string& tmpl) {
  std::string initial;
  for (const auto* e : plan.EtcdNodes()) initial += (initial.empty() ? "" : ",") + fmt::format("{}=http://{}:{}", e->host, e->address, kEtcdPeerPort);
  TemplateContext c = Common(plan, node);
  c.Set("data_dir", EtcdDataDir(node))
      .Set("peer_port", std::to_string(kEtcdPeerPort))
      .Set("client_port", std::to_string(kEtcdClientPort))
      .Set("initial_cluster", initial)
      .Set("cluster_token", plan.scope);
  return RenderTemplate(tmpl, c, "fixtures/etcd.conf.yml");
}

Result<std::string> RenderHaproxyConfig(const ClusterPlan& plan, const NodePlan& node, const std::string& tmpl) {
  const auto& h = plan.topology.haproxy;
  TemplateContext c = Common(plan, node);
  c.Set("check_interval_ms", std::to_string(Millis(h.check_interval)))
      .Set("check_timeout_ms", std::to_string(Millis(h.check_timeout)))
      .Set("fall", std::to_string(h.fall))
      .Set("rise", std::to_string(h.rise))
      .Set("stats_port", std::to_string(kStatsPort))
      .Set("primary_port", std::to_string(kPrimaryPort))
      .Set("replica_port", std::to_string(kReplicaPort))
      .SetFlag("shutdown_sessions", h.shutdown_sessions);
  auto& nodes = c.lists["patroni_nodes"];
  for (const auto* n : plan.PatroniNodes()) {
    TemplateContext item;
    item.Set("name", n->host).Set("address", n->address);
    nodes.push_back(item);
  }
  return RenderTemplate(tmpl, c, "fixtures/haproxy.cfg");
}

}  // namespace pgha
