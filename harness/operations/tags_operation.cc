// tags: {target: replica, nofailover: true, noloadbalance: true} — Patroni
// member tags flipped as a deployment tool does around a node's
// maintenance (Autobase's update role): the member's patroni.yml edited,
// POST /reload, then polled until its GET /patroni shows the tags. The
// file as it was before the first change is put back at the end of the run.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "operations/registry.h"

namespace pgha {
namespace {

const std::vector<std::string> kTags = {"nofailover", "noloadbalance", "nosync", "clonefrom"};

struct TagsParams : OperationParams {
  std::string target;
  std::map<std::string, bool> tags;
  std::string Describe() const override {
    std::vector<std::string> parts;
    for (const auto& [k, v] : tags) parts.push_back(fmt::format("{}={}", k, v));
    return fmt::format("{} on {}", Join(parts), target);
  }
};

std::string ConfigPath(const HostPlan& h) { return h.dir + "/patroni.yml"; }

bool TagsMatch(const nlohmann::json& holder, const std::map<std::string, bool>& tags) {
  if (!holder.is_object()) return false;
  const nlohmann::json shown =
      holder.contains("tags") && holder["tags"].is_object() ? holder["tags"] : nlohmann::json::object();
  for (const auto& [k, v] : tags)  // Patroni leaves false ones out
    if (shown.value(k, false) != v) return false;
  return true;
}

// The member's own GET /patroni shows the tags at once after the reload;
// the leader decides on the member's record in the DCS (GET /cluster),
// which its next loop writes: a switchover to a member still recorded
// nofailover fails with "no healthy members found". Both are waited for.
bool ShowsTags(const std::string& body, const std::map<std::string, bool>& tags) {
  return TagsMatch(nlohmann::json::parse(body, nullptr, false), tags);
}
bool ClusterShowsTags(const std::string& body, const std::string& member, const std::map<std::string, bool>& tags) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object() || !j.contains("members") || !j["members"].is_array()) return false;
  for (const auto& m : j["members"])
    if (m.is_object() && m.value("name", "") == member) return TagsMatch(m, tags);
  return false;
}

Status WriteAndReload(OperationEnv& env, const HostPlan& h, const std::string& text) {
  if (Status s = env.provider.Files().WriteFile(h, {ConfigPath(h), text, 0600, "postgres"}); !s.ok()) return s;
  return PatroniCall(env, h.name, "POST", "/reload", "");
}

class Tags : public OperationType {
 public:
  std::string Name() const override { return "tags"; }
  std::string Summary() const override {
    return "member tags (nofailover, noloadbalance, nosync) set in patroni.yml and reloaded, put back at the end";
  }
  void Read(OperationReadContext& r, OperationSpec* out) const override {
    auto p = std::make_shared<TagsParams>();
    out->params = p;
    if (!r.value.IsMap()) return r.map.ErrorAt(r.value, "tags is a mapping: {target: replica, nofailover: true}");
    YamlMap m(r.value, r.map.file(), "tags", r.map.diags());
    m.Require("target");
    if (auto t = m.Node("target"); t && r.target(*t, &out->target, true)) p->target = out->target.ToString();
    out->has_target = true;
    for (const auto& tag : kTags)
      if (m.Has(tag)) m.Bool(tag, &p->tags[tag]);
    if (p->tags.empty()) m.ErrorAt(r.value, "tags sets none of " + Join(kTags));
    m.Finish();
  }
  std::string WhyNot(const OperationEnv& env, const OperationSpec&) const override {
    if (!env.provider.BuildsServices())
      return "tags live in your own patroni.yml, which pgha-chaos does not edit on a cluster that is not its own";
    return "";
  }
  OperationResult Run(OperationEnv& env, const OperationSpec& op) const override;
};

OperationResult Tags::Run(OperationEnv& env, const OperationSpec& op) const {
  const auto& p = static_cast<const TagsParams&>(*op.params);
  auto hosts = env.resolve(op.target);
  if (!hosts.ok()) return OperationFailed(hosts.status());
  OperationResult result;
  for (const auto& name : *hosts) {
    const HostPlan* h = env.plan.Find(name);
    auto before =
        h ? env.provider.Files().ReadFile(*h, ConfigPath(*h)) : Result<std::string>(Failed("no host " + name));
    if (!before.ok()) return OperationFailed(before.status());
    YAML::Node config;
    try {
      config = YAML::Load(*before);
      for (const auto& [k, v] : p.tags) config["tags"][k] = v;
    } catch (const YAML::Exception& e) {
      return OperationFailed(Failed(fmt::format("{} on {}: {}", ConfigPath(*h), name, e.what())));
    }
    YAML::Emitter out;
    out << config;
    if (Status s = WriteAndReload(env, *h, std::string(out.c_str()) + "\n"); !s.ok()) return OperationFailed(s);
    const HostPlan host = *h;
    result.undo.Add([host, text = *before](OperationEnv& e) { return WriteAndReload(e, host, text); });
    Status s = PollPatroni(
        env, name, "/patroni", [&](const std::string& body) { return ShowsTags(body, p.tags); },
        fmt::format("{} to show its new tags", name));
    if (s.ok())
      s = PollPatroni(
          env, name, "/cluster", [&](const std::string& body) { return ClusterShowsTags(body, name, p.tags); },
          fmt::format("the cluster's record of {} to show its new tags", name));
    if (!s.ok()) return result.status = s, result;
  }
  result.detail =
      fmt::format("{}: reloaded, shown by Patroni on {} and in the cluster's record", p.Describe(), Join(*hosts));
  result.undo_key = "tags of " + Join(*hosts);
  return result;
}

}  // namespace

const OperationType* TagsOperation() {
  static const Tags type;
  return &type;
}

}  // namespace pgha
