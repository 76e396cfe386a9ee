#include "cluster/manifest.h"

#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include <filesystem>

#include "core/files.h"

namespace pgha {
using nlohmann::json;

namespace {
const char* kKinds[] = {"directory", "bridge", "netns", "veth", "process", "mount", "iptables"};
const char* kStates[] = {"planned", "created", "removed"};

json ToJson(const Resource& r) {
  return json{{"kind", kKinds[static_cast<int>(r.kind)]},
              {"name", r.name},
              {"netns", r.netns},
              {"args", r.args},
              {"pid", r.pid},
              {"start_time", r.start_time},
              {"state", kStates[static_cast<int>(r.state)]}};
}

bool FromJson(const json& j, Resource* r) {
  auto kind = j.value("kind", "");
  auto state = j.value("state", "");
  bool found_kind = false, found_state = false;
  for (int i = 0; i < 7; ++i)
    if (kind == kKinds[i]) { r->kind = static_cast<ResourceKind>(i); found_kind = true; }
  for (int i = 0; i < 3; ++i)
    if (state == kStates[i]) { r->state = static_cast<ResourceState>(i); found_state = true; }
  r->name = j.value("name", "");
  r->netns = j.value("netns", "");
  r->args = j.value("args", std::vector<std::string>{});
  r->pid = j.value("pid", 0);
  r->start_time = j.value("start_time", uint64_t{0});
  return found_kind && found_state;
}
}  // namespace

std::string KindName(ResourceKind k) { return kKinds[static_cast<int>(k)]; }

Result<std::unique_ptr<Manifest>> Manifest::Create(const std::string& path, const std::string& run_id) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return Failed("manifest " + path + " already exists");
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  std::unique_ptr<Manifest> m(new Manifest(path, run_id));
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
  std::unique_ptr<Manifest> m(new Manifest(path, j.value("run_id", "")));
  for (const auto& rj : j["resources"]) {
    Resource r;
    if (!FromJson(rj, &r)) return Failed("manifest " + path + " has an entry of unknown kind or state");
    m->resources_.push_back(r);
  }
  return m;
}

Status Manifest::SaveLocked() {
  json list = json::array();
  for (const auto& r : resources_) list.push_back(ToJson(r));
  json j{{"format", 1}, {"run_id", run_id_}, {"resources", list}};
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
