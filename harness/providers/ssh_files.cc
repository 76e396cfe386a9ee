// SshFiles: files of an existing host over ssh; logs from its journal.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <filesystem>

#include "core/files.h"
#include "core/text.h"
#include "providers/ssh_provider.h"

namespace pgha {
namespace {

Status Checked(const Result<CommandResult>& r, const std::string& what) {
  if (!r.ok()) return r.status().WithContext(what);
  if (!r->Succeeded()) return Failed(fmt::format("{}: {}", what, r->timed_out ? "timed out" : Trim(r->err)));
  return Status::Ok();
}

}  // namespace

Status SshFiles::WriteFile(const HostPlan& host, const FileSpec& f) {
  if (!f.link_to.empty())
    return Checked(
        remote_.Run(host.name, fmt::format("mkdir -p $(dirname {p}) && ln -sfn {t} {p}",
                                           fmt::arg("p", ShellQuote(f.path)), fmt::arg("t", ShellQuote(f.link_to)))),
        "linking " + f.path + " on " + host.name);
  std::string script = fmt::format("mkdir -p $(dirname {p}) && printf '%s' {c} > {p} && chmod {m:o} {p}",
                                   fmt::arg("p", ShellQuote(f.path)), fmt::arg("c", ShellQuote(f.content)),
                                   fmt::arg("m", static_cast<unsigned>(f.mode)));
  if (!f.owner.empty()) script += " && chown " + ShellQuote(f.owner) + " " + ShellQuote(f.path);
  return Checked(remote_.Run(host.name, script), "writing " + f.path + " on " + host.name);
}

Status SshFiles::MakeDirectory(const HostPlan& host, const std::string& path, mode_t mode, const std::string& owner) {
  std::string script = fmt::format("mkdir -p {p} && chmod {m:o} {p}", fmt::arg("p", ShellQuote(path)),
                                   fmt::arg("m", static_cast<unsigned>(mode)));
  if (!owner.empty()) script += " && chown " + ShellQuote(owner) + " " + ShellQuote(path);
  return Checked(remote_.Run(host.name, script), "creating " + path + " on " + host.name);
}

Result<std::string> SshFiles::ReadFile(const HostPlan& host, const std::string& path) {
  auto r = remote_.Run(host.name, "cat " + ShellQuote(path));
  if (Status s = Checked(r, "reading " + path + " on " + host.name); !s.ok()) return s;
  return r->out;
}

Result<uint64_t> SshFiles::RemoveTree(const HostPlan& host, const std::string& path) {
  auto r = remote_.Run(
      host.name,
      fmt::format("n=$(find {p} 2>/dev/null | wc -l); rm -rf {p} && echo $n", fmt::arg("p", ShellQuote(path))),
      std::chrono::seconds(60));
  if (Status s = Checked(r, "removing " + path + " on " + host.name); !s.ok()) return s;
  return static_cast<uint64_t>(ParseInt64(Trim(r->out)).value_or(0));
}

// Recorded before the first byte: a crash leaves a ballast that teardown and `cleanup` delete.
Result<uint64_t> SshFiles::FillFilesystem(const HostPlan& host, const std::string& path, Manifest& m) {
  auto id = m.Record(Resource::Of(kFileResource, path, host.name));
  if (!id.ok()) return id.status();
  m.MarkCreated(*id);
  const std::string p = ShellQuote(path);
  auto r = remote_.Run(host.name,
                       fmt::format("a=$(df --output=avail -B1 $(dirname {p}) | tail -n1); fallocate -l \"$a\" {p} "
                                   "2>/dev/null; dd if=/dev/zero of={p} bs=1M oflag=append conv=notrunc 2>/dev/null; "
                                   "stat -c %s {p}",
                                   fmt::arg("p", p)),
                       std::chrono::seconds(120));
  if (Status s = Checked(r, "filling the filesystem of " + path + " on " + host.name); !s.ok()) return s;
  return static_cast<uint64_t>(ParseInt64(Trim(r->out)).value_or(0));
}

Status SshFiles::RemoveFile(const HostPlan& host, const std::string& path) {
  return Checked(remote_.Run(host.name, "rm -f " + ShellQuote(path)), "removing " + path + " on " + host.name);
}

Status SshFiles::CollectLogs(const HostPlan& host, const std::vector<std::string>&, const std::string& dest) {
  const SshAccess* a = remote_.Find(host.name);
  if (!a) return Failed("the ssh provider knows no host " + host.name);
  std::error_code ec;
  std::filesystem::create_directories(dest, ec);
  const auto since = std::chrono::duration_cast<std::chrono::seconds>(since_.time_since_epoch()).count();
  for (const auto& s : host.services) {
    auto r = remote_.Run(
        host.name,
        fmt::format("journalctl --no-pager -o short-iso-precise -u {} --since=@{}", ShellQuote(a->Unit(s.kind)), since),
        std::chrono::seconds(60));
    if (!r.ok() || !r->Succeeded() || remote_.dry_run()) continue;
    if (Status st = WriteFileAtomic(dest + "/" + s.kind + ".log", r->out); !st.ok()) return st;
    if (s.kind != "patroni") continue;
    // What Patroni changed of the settings it was given is logged when it
    // loads them, before this run: its last such warnings, from the whole journal.
    auto adjusted = remote_.Run(
        host.name,
        fmt::format("journalctl --no-pager -o short-iso-precise -u {} | grep -E \"can't be smaller than|Violated the "
                    "rule\" | tail -n 20",
                    ShellQuote(a->Unit(s.kind))),
        std::chrono::seconds(60));
    if (adjusted.ok() && adjusted->exit_code == 0)
      if (Status st = WriteFileAtomic(dest + "/patroni-settings.log", adjusted->out); !st.ok()) return st;
  }
  return Status::Ok();
}

}  // namespace pgha
