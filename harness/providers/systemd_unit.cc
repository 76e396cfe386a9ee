#include "providers/systemd_unit.h"

#include <fmt/format.h>

namespace pgha {

std::string UnitName(const DaemonLaunch& d) { return d.label.substr(0, d.label.find('@')) + ".service"; }

std::string QuoteUnitWord(const std::string& word) {
  std::string out = "\"";
  for (char c : word) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '%') out += '%';
    if (c == '$') out += '$';
    out += c;
  }
  return out + "\"";
}

std::string RenderUnit(const DaemonLaunch& d) {
  std::string exec;
  for (const auto& a : d.argv) exec += (exec.empty() ? "" : " ") + QuoteUnitWord(a);
  std::string out = fmt::format("# written by pgha-chaos for {}\n[Unit]\nDescription=pgha-chaos: {}\n\n[Service]\n",
                                d.label, d.label);
  out += "Type=simple\nExecStart=" + exec + "\n";
  if (!d.user.empty()) out += fmt::format("User={}\nGroup={}\n", d.user, d.user);
  if (!d.working_dir.empty()) out += "WorkingDirectory=" + d.working_dir + "\n";
  for (const auto& [k, v] : d.env) out += "Environment=" + QuoteUnitWord(k + "=" + v) + "\n";
  if (!d.log_file.empty())
    out += fmt::format("StandardOutput=append:{}\nStandardError=append:{}\n", d.log_file, d.log_file);
  out += "KillMode=process\nRestart=no\nTimeoutStopSec=10\nLimitNOFILE=65536\n";
  return out;
}

}  // namespace pgha
