// SshProvider::Teardown: undoes on the hosts what the manifest records
// (ballast files, iptables rules and our chains, netem qdiscs), newest
// first, reaching each host with the access details recorded beside them.
// Services are never stopped: the cluster is not ours. A host that cannot
// be reached keeps its entries in the manifest for `cleanup` to retry.
#include <fmt/format.h>

#include "core/text.h"
#include "providers/ssh_provider.h"

namespace pgha {
namespace {

bool AlreadyGone(const CommandResult& r) {
  for (const char* gone : {"No such file", "does not exist", "Bad rule", "No chain", "handle of zero", "No such"})
    if (r.err.find(gone) != std::string::npos) return true;
  return false;
}

std::string Undo(SshRemote& remote, const Resource& r, const TeardownOptions& o) {
  std::string script;
  if (r.kind == kDirectoryResource) return RemoveRecordedDirectory(r.name, o.allowed_root);
  if (r.kind == kFileResource && r.scope.empty()) return RemoveRecordedFile(r.name, o.allowed_root);
  if (r.kind == kFileResource) script = "rm -f " + ShellQuote(r.name);
  if (r.kind == "iptables") {
    std::vector<std::string> argv = {"iptables", "-w", "5", "-D"};
    argv.insert(argv.end(), r.args.begin(), r.args.end());
    script = ShellCommand(argv);
  }
  if (r.kind == "iptables-chain") script = DropChainsScript();
  if (r.kind == "qdisc")
    script = ShellCommand({"tc", "qdisc", "del", "dev", r.args.empty() ? r.name : r.args[0], "root"});
  if (r.kind == "ssh-host" || r.kind == kProcessResource) return "";
  if (script.empty()) return "the ssh provider does not know resources of kind " + r.kind;
  auto res = remote.Run(r.scope, script, std::chrono::seconds(20));
  if (!res.ok()) return res.status().message();
  if (res->Succeeded() || AlreadyGone(*res)) return "";
  return fmt::format("`{}` on {} failed: {}", script, r.scope, res->timed_out ? "timed out" : Trim(res->err));
}

}  // namespace

TeardownReport SshProvider::Teardown(Manifest& m, const TeardownOptions& options) {
  TeardownReport report;
  const auto resources = m.Snapshot();
  for (const auto& r : resources)
    if (r.kind == "ssh-host" && !remote_.Find(r.name)) remote_.Add(AccessFromResource(r));
  for (size_t i = resources.size(); i-- > 0;) {
    const Resource& r = resources[i];
    if (r.state == ResourceState::kRemoved) continue;
    const std::string error = Undo(remote_, r, options);
    if (!error.empty()) {
      report.errors.push_back(fmt::format("{} {} on {}: {}", r.kind, r.name, r.scope, error));
      continue;
    }
    m.MarkRemoved(i);
    ++report.removed;
  }
  return report;
}

}  // namespace pgha
