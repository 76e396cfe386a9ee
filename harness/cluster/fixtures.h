// Fixture rendering: fills fixtures/patroni.yml, fixtures/etcd.conf.yml and
// fixtures/haproxy.cfg for one node of a plan. Pure (the caller reads the
// template files and writes the results).
#pragma once

#include <string>

#include "cluster/cluster_plan.h"
#include "core/status.h"

namespace pgha {

struct FixtureTemplates {
  std::string patroni;
  std::string etcd;
  std::string haproxy;
};

// Reads the three templates from a fixtures directory.
Result<FixtureTemplates> LoadFixtureTemplates(const std::string& fixtures_dir);

// Per-node paths, shared by the renderer and the provider.
std::string PatroniDataDir(const NodePlan& n);
// The tmpfs mount point holding PatroniDataDir when the node has a data volume.
std::string DataVolumeDir(const NodePlan& n);
std::string EtcdDataDir(const NodePlan& n);

Result<std::string> RenderPatroniConfig(const ClusterPlan& plan, const NodePlan& node, const Secrets& secrets,
                                        const std::string& tmpl);
Result<std::string> RenderEtcdConfig(const ClusterPlan& plan, const NodePlan& node, const std::string& tmpl);
Result<std::string> RenderHaproxyConfig(const ClusterPlan& plan, const NodePlan& node, const std::string& tmpl);

}  // namespace pgha
