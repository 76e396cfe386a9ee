#include "cluster/manifest.h"

#include <sys/stat.h>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "core/files.h"

namespace pgha {
using nlohmann::json;

namespace {
const char* kStates[] = {"planned", "created", "removed"};

json ToJson(const Resource& r) {
  return json{{"kind", r.kind},
              {"name", r.name},
              {"scope", r.scope},
              {"args", r.args},
              {"pid", r.pid},
              {"start_time", r.start_time},
              {"state", kStates[static_cast<int>(r.state)]}};
}

bool FromJson(const json& j, Resource* r) {
  try {
    const std::string state = j.value("state", "");
    bool found_state = false;
    for (int i = 0; i < 3; ++i)
      if (state == kStates[i]) {
        r->state = static_cast<ResourceState>(i);
        found_state = true;
      }
    r->kind = j.value("kind", "");
    r->name = j.value("name", "");
    r->scope = j.value("scope", j.value("netns", ""));  // "netns" before format 2
    r->args = j.value("args", std::vector<std::string>{});
    r->pid = j.value("pid", 0);
    r->start_time = j.value("start_time", uint64_t{0});
    return found_state && !r->kind.empty();
  } catch (const json::exception&) {
    return false;
  }
}
}  // namespace

Result<std::unique_ptr<Manifest>> Manifest::Create(const std::string& path, const std::string& run_id,
                                                   const std::string& provider) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return Failed("manifest " + path + " already exists");
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  std::unique_ptr<Manifest> m(new Manifest(path, run_id, provider));
  std::lock_guard<std::mutex> lock(m->mu_);
  Status s = m->SaveLocked();
  if (!s.ok()) return s;
  return m;
}

Result<std::unique_ptr<Manifest>> Manifest::Open(const std::string& path) {
  auto text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  auto j = json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.contains("resources")) return Failed("manifest " + path + " is damaged");
  if (!j.is_object() || !j["resources"].is_array()) return Failed("manifest " + path + " is damaged");
  // Manifests before format 2 were all written by the netns provider.
  std::unique_ptr<Manifest> m(new Manifest(path, j.value("run_id", ""), j.value("provider", "netns")));
  for (const auto& rj : j["resources"]) {
    Resource r;
    if (!FromJson(rj, &r)) return Failed("manifest " + path + " has an entry without a kind or with an unknown state");
    m->resources_.push_back(r);
  }
  return m;
}

Status Manifest::SaveLocked() {
  json list = json::array();
  for (const auto& r : resources_) list.push_back(ToJson(r));
  json j{{"format", 2}, {"run_id", run_id_}, {"provider", provider_}, {"resources", list}};
  return WriteFileAtomic(path_, j.dump(1) + "\n", 0600);
}

Result<size_t> Manifest::Record(Resource r) {
  std::lock_guard<std::mutex> lock(mu_);
  r.state = ResourceState::kPlanned;
  resources_.push_back(r);
  Status s = SaveLocked();
  if (!s.ok()) {
    resources_.pop_back();
    return s;
  }
  return resources_.size() - 1;
}

Status Manifest::MarkCreated(size_t id, int pid, uint64_t start_time) {
  std::lock_guard<std::mutex> lock(mu_);
  if (id >= resources_.size()) return Failed("no manifest entry " + std::to_string(id));
  resources_[id].state = ResourceState::kCreated;
  resources_[id].pid = pid;
  resources_[id].start_time = start_time;
  return SaveLocked();
}

Status Manifest::MarkRemoved(size_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  if (id >= resources_.size()) return Failed("no manifest entry " + std::to_string(id));
  resources_[id].state = ResourceState::kRemoved;
  return SaveLocked();
}

std::vector<Resource> Manifest::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return resources_;
}

bool Manifest::AllRemoved() const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& r : resources_)
    if (r.state != ResourceState::kRemoved) return false;
  return true;
}

Status Manifest::Delete() {
  std::error_code ec;
  std::filesystem::remove(path_, ec);
  if (ec) return Failed("cannot delete " + path_ + ": " + ec.message());
  return Status::Ok();
}

}  // namespace pgha
