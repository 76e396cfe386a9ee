// etcd's settings where deployments write them outside a YAML config file:
// an environment file (/etc/default/etcd: ETCD_ELECTION_TIMEOUT=1000,
// ETCD_PRE_VOTE=true), or the flags of a systemd unit's ExecStart
// (--election-timeout=1000, --pre-vote, --pre-vote=false), continued over
// lines ending in a backslash, as the seeds' etcd.service templates write.
#include <fmt/format.h>

#include <map>
#include <sstream>

#include "core/text.h"
#include "core/units.h"
#include "scenario/lint_inputs.h"

namespace pgha {
namespace {

using EtcdFlag = EtcdSetting;

std::string Unquoted(const std::string& v) {
  std::string t = Trim(v);
  if (t.size() >= 2 && (t.front() == '"' || t.front() == '\'') && t.back() == t.front()) t = t.substr(1, t.size() - 2);
  return t;
}

// "ETCD_PRE_VOTE=true" (or "export ETCD_...") as {"pre-vote", "true"}; false when not such a line.
bool EnvLine(std::string t, int line, std::map<std::string, EtcdFlag>* out) {
  if (t.rfind("export ", 0) == 0) t = Trim(t.substr(7));
  const size_t eq = t.find('=');
  if (t.rfind("ETCD_", 0) != 0 || eq == std::string::npos) return false;
  std::string name;
  for (char c : t.substr(5, eq - 5)) name += c == '_' ? '-' : static_cast<char>(std::tolower(c));
  (*out)[name] = {Unquoted(t.substr(eq + 1)), line};
  return true;
}

// The flags on one line of a command: "--pre-vote" alone is true.
void FlagsOf(const std::string& t, int line, std::map<std::string, EtcdFlag>* out) {
  std::istringstream in(t);
  std::vector<std::string> w;
  for (std::string x; in >> x;) w.push_back(x);
  for (size_t i = 0; i < w.size(); ++i) {
    if (w[i].rfind("--", 0) != 0 || w[i].size() < 3) continue;
    std::string flag = w[i].substr(2), value;
    if (const size_t eq = flag.find('='); eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    } else if (flag == "pre-vote") {
      value = "true";
    } else if (i + 1 < w.size() && w[i + 1].rfind("--", 0) != 0 && w[i + 1] != "\\") {
      value = w[++i];
    }
    (*out)[flag] = {Unquoted(value), line};
  }
}

}  // namespace

Status ReadEtcdFlags(const std::string& text, const std::string& file, PredictInputs* in) {
  std::map<std::string, EtcdFlag> flags;
  bool unit = false, etcd_unit = false, in_exec = false;
  int n = 0;
  for (const auto& raw : Split(text, '\n')) {
    ++n;
    const std::string t = Trim(raw);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (t.front() == '[') unit = true;
    if (EnvLine(t, n, &flags)) continue;
    if (t.rfind("ExecStart=", 0) == 0) {
      in_exec = true;
      etcd_unit |= t.find("etcd") != std::string::npos;
    }
    if (in_exec) FlagsOf(t, n, &flags);
    in_exec = in_exec && t.back() == '\\';
  }
  if (unit && !etcd_unit)
    return InvalidInput(file + ": a systemd unit whose ExecStart is not etcd; lint reads etcd's own unit (its flags)");
  return ApplyEtcdSettings(flags, file, in);
}

Status ApplyEtcdSettings(const std::map<std::string, EtcdSetting>& settings, const std::string& file,
                         PredictInputs* in) {
  if (const auto e = settings.find("election-timeout"); e != settings.end()) {
    const auto ms = ParseNumber(e->second.value);
    if (!ms || *ms <= 0)
      return InvalidInput(
          fmt::format("{}:{}: election-timeout is a number of milliseconds, e.g. 1000", file, e->second.line));
    in->election_timeout_s = *ms / 1000;
  }
  in->etcd_pre_vote = false;               // etcd 3.4's default
  in->spots["etcd.pre_vote"] = {file, 1};  // not written: the file
  if (const auto p = settings.find("pre-vote"); p != settings.end()) {
    const std::string& v = p->second.value;
    if (v != "true" && v != "false")
      return InvalidInput(fmt::format("{}:{}: pre-vote is true or false", file, p->second.line));
    in->etcd_pre_vote = v == "true";
    in->spots["etcd.pre_vote"] = {file, p->second.line};
  }
  return Status::Ok();
}

}  // namespace pgha
