#include "providers/ssh_remote.h"

#include <fmt/format.h>

#include "core/text.h"

namespace pgha {

std::string ShellQuote(const std::string& word) {
  if (!word.empty() &&
      word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:@,%+") ==
          std::string::npos)
    return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string ShellCommand(const std::vector<std::string>& argv) {
  std::vector<std::string> words;
  for (const auto& a : argv) words.push_back(ShellQuote(a));
  return Join(words, " ");
}

std::vector<std::string> SshArgv(const SshAccess& a, const std::string& script) {
  std::vector<std::string> argv = {"ssh",
                                   "-o",
                                   "BatchMode=yes",
                                   "-o",
                                   "ConnectTimeout=5",
                                   "-o",
                                   "ServerAliveInterval=2",
                                   "-o",
                                   "ServerAliveCountMax=3",
                                   "-o",
                                   "LogLevel=ERROR",
                                   "-i",
                                   a.key_file,
                                   "-p",
                                   std::to_string(a.port)};
  argv.insert(argv.end(), a.ssh_options.begin(), a.ssh_options.end());
  argv.push_back(a.Destination());
  argv.push_back("--");
  argv.push_back(a.become ? "sudo -n sh -c " + ShellQuote(script) : script);
  return argv;
}

Resource AccessResource(const SshAccess& a) {
  Resource r = Resource::Of("ssh-host", a.host, a.Destination());
  r.args = {"address=" + a.address, "user=" + a.user,           "port=" + std::to_string(a.port),
            "key=" + a.key_file,    "interface=" + a.interface, std::string("become=") + (a.become ? "1" : "0")};
  for (const auto& o : a.ssh_options) r.args.push_back("option=" + o);
  return r;
}

SshAccess AccessFromResource(const Resource& r) {
  SshAccess a;
  a.host = r.name;
  for (const auto& arg : r.args) {
    const auto eq = arg.find('=');
    const std::string k = arg.substr(0, eq), v = eq == std::string::npos ? "" : arg.substr(eq + 1);
    if (k == "address") a.address = v;
    if (k == "user") a.user = v;
    if (k == "port") a.port = ParseInt(v).value_or(22);
    if (k == "key") a.key_file = v;
    if (k == "interface") a.interface = v;
    if (k == "become") a.become = v == "1";
    if (k == "option") a.ssh_options.push_back(v);
  }
  return a;
}

const SshAccess* SshRemote::Find(const std::string& host) const {
  auto it = hosts_.find(host);
  return it == hosts_.end() ? nullptr : &it->second;
}

Result<CommandResult> SshRemote::Run(const std::string& host, const std::string& script, Duration timeout) {
  const SshAccess* a = Find(host);
  if (!a) return Failed("the ssh provider knows no host " + host);
  if (dry_run_) {
    if (print_) print_(fmt::format("{} ({}): {}", host, a->Destination(), script));
    CommandResult ok;
    ok.exit_code = 0;
    return ok;
  }
  return runner_.Run(CommandSpec::Of(SshArgv(*a, script), timeout));
}

}  // namespace pgha
