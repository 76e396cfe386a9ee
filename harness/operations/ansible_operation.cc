// ansible: {playbook: upgrade.yml, limit: db2} — the user's own playbook run
// under load against the cluster's Ansible inventory, as they would run
// it (`ansible-playbook -i INVENTORY PLAYBOOK --limit db2`) from this
// machine, its window measured like any operation's. Its output is kept
// with the run's logs (logs/ansible-<id>.log). It needs a provider whose
// hosts an inventory describes (AnsibleHosts: --provider ssh --inventory,
// e.g. on containers made by `up --bare` and provisioned by vagrant/);
// elsewhere the step is skipped, saying so. The playbook's path is relative
// to the scenario file.
#include <fmt/format.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "core/files.h"
#include "core/text.h"
#include "operations/registry.h"

namespace pgha {
namespace {

struct AnsibleParams : OperationParams {
  std::string playbook;  // absolute
  std::string limit;
  std::string Describe() const override {
    return std::filesystem::path(playbook).filename().string() + (limit.empty() ? "" : " --limit " + limit);
  }
};

// Whether `program` is an executable file in a folder of $PATH.
bool OnPath(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  size_t from = 0;
  while (from <= dirs.size()) {
    const size_t colon = std::min(dirs.find(':', from), dirs.size());
    const std::string file = dirs.substr(from, colon - from) + "/" + program;
    if (access(file.c_str(), X_OK) == 0) return true;
    from = colon + 1;
  }
  return false;
}

// PLAY RECAP's host lines: what each host saw ("db2 : ok=3 changed=1 ...").
std::string Recap(const std::string& out) {
  const size_t at = out.rfind("PLAY RECAP");
  if (at == std::string::npos) return "";
  std::vector<std::string> hosts;
  size_t line = out.find('\n', at);
  while (line != std::string::npos && line + 1 < out.size()) {
    const size_t next = out.find('\n', line + 1);
    const std::string text =
        Trim(out.substr(line + 1, next == std::string::npos ? std::string::npos : next - line - 1));
    std::string squeezed;  // "node2 : ok=1 changed=1 ...", without Ansible's column padding
    for (char ch : text)
      if (ch != ' ' || squeezed.empty() || squeezed.back() != ' ') squeezed += ch;
    if (!squeezed.empty()) hosts.push_back(squeezed);
    line = next;
  }
  return Join(hosts, "; ");
}

class Ansible : public OperationType {
 public:
  std::string Name() const override { return "ansible"; }
  std::string Summary() const override {
    return "your own playbook under load (ansible-playbook -i INVENTORY PLAYBOOK --limit HOSTS), with --provider ssh";
  }
  void Read(OperationReadContext& r, OperationSpec* out) const override {
    auto p = std::make_shared<AnsibleParams>();
    out->params = p;
    if (!r.value.IsMap()) return r.map.ErrorAt(r.value, "ansible is a mapping: {playbook: upgrade.yml, limit: db2}");
    YamlMap m(r.value, r.map.file(), "ansible", r.map.diags());
    m.Require("playbook");
    m.String("playbook", &p->playbook);
    m.String("limit", &p->limit);
    if (!p->playbook.empty()) {
      std::filesystem::path path(p->playbook);
      if (path.is_relative()) path = std::filesystem::path(r.map.file()).parent_path() / path;
      p->playbook = path.lexically_normal().string();
      std::error_code ec;
      if (!std::filesystem::is_regular_file(p->playbook, ec))
        m.ErrorAt(*m.Node("playbook"),
                  fmt::format("no playbook at {}: give its path, relative to this file", p->playbook));
    }
    m.Finish();
  }
  std::string WhyNot(const OperationEnv& env, const OperationSpec&) const override {
    const auto* hosts = dynamic_cast<const AnsibleHosts*>(&env.provider);
    if (!hosts || hosts->InventoryFile().empty())
      return "an ansible step runs your playbook against the cluster's Ansible inventory: run it with --provider ssh "
             "--inventory FILE (hosts made by `up --bare` and provisioned by vagrant/ have one)";
    if (!env.local) return "this run cannot start programs on this machine";
    if (!OnPath("ansible-playbook")) return "ansible-playbook is not installed: apt-get install ansible";
    return "";
  }
  OperationResult Run(OperationEnv& env, const OperationSpec& op) const override;
};

OperationResult Ansible::Run(OperationEnv& env, const OperationSpec& op) const {
  const auto& p = static_cast<const AnsibleParams&>(*op.params);
  std::vector<std::string> argv = {"ansible-playbook", "-i",
                                   dynamic_cast<const AnsibleHosts&>(env.provider).InventoryFile(), p.playbook};
  if (!p.limit.empty()) argv.insert(argv.end(), {"--limit", p.limit});
  const Duration left = std::max<Duration>(env.deadline - env.clock.Now(), std::chrono::seconds(1));
  auto run = env.local->Run(CommandSpec::Of(argv, left));
  if (!run.ok()) return OperationFailed(run.status());
  std::string kept;
  if (!env.log_dir.empty()) {
    kept = env.log_dir + "/ansible-" + env.id + ".log";
    std::error_code ec;
    std::filesystem::create_directories(env.log_dir, ec);
    if (!WriteFileAtomic(kept, Join(argv, " ") + "\n" + run->out + run->err).ok()) kept.clear();
  }
  const std::string where = kept.empty() ? "" : " (output: " + kept + ")";
  if (run->timed_out)
    return OperationFailed(Failed(fmt::format("{} did not end within the step's timeout{}", p.Describe(), where)));
  if (run->exit_code != 0)
    return OperationFailed(
        Failed(fmt::format("{} failed (exit {}): {}{}", p.Describe(), run->exit_code,
                           Recap(run->out).empty() ? LastLines(run->out + run->err, 3) : Recap(run->out), where)));
  return OperationDone(fmt::format("{}: {}{}", p.Describe(), Recap(run->out), where));
}

}  // namespace

const OperationType* AnsibleOperation() {
  static const Ansible type;
  return &type;
}

}  // namespace pgha
