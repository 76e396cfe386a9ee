// SshRemote: one shell command on an existing host over ssh, or, in a dry
// run, the same command printed and not run. Every remote effect of the
// ssh provider goes through Run, so `--dry-run` shows exactly what a real
// run would do. Commands run as the inventory's user, under `sudo -n`
// where it says ansible_become. ssh runs in batch mode (no prompts) with
// a 5 s connect timeout and keepalives, under the caller's deadline.
// Thread-safe as far as the ProcessRunner is.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "cluster/manifest.h"
#include "core/process.h"
#include "model/inventory.h"

namespace pgha {

// 'word' for a POSIX shell (single quotes; a quote inside becomes '\'').
std::string ShellQuote(const std::string& word);
// argv as one shell command line, every word quoted where it needs to be.
std::string ShellCommand(const std::vector<std::string>& argv);
// The ssh argv that runs `script` on the host.
std::vector<std::string> SshArgv(const SshAccess& a, const std::string& script);

// Access details as a manifest resource ("ssh-host") and back, so that
// `down` and `cleanup` reach the hosts without the inventory.
Resource AccessResource(const SshAccess& a);
SshAccess AccessFromResource(const Resource& r);

class SshRemote {
 public:
  using Printer = std::function<void(const std::string&)>;
  SshRemote(ProcessRunner& runner, bool dry_run, Printer print)
      : runner_(runner), dry_run_(dry_run), print_(std::move(print)) {}

  // The host's access, by its name (from the inventory, or from a manifest).
  void Add(const SshAccess& a) { hosts_[a.host] = a; }
  const SshAccess* Find(const std::string& host) const;
  // Runs `script` on `host`; in a dry run prints it and answers success
  // with no output. An unknown host is an error.
  Result<CommandResult> Run(const std::string& host, const std::string& script,
                            Duration timeout = std::chrono::seconds(15));
  bool dry_run() const { return dry_run_; }

 private:
  ProcessRunner& runner_;
  bool dry_run_;
  Printer print_;
  std::map<std::string, SshAccess> hosts_;
};

}  // namespace pgha
