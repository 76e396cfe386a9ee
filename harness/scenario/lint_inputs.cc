#include "scenario/lint_inputs.h"

#include <fmt/format.h>

#include <cctype>
#include <set>
#include <sstream>

#include "core/files.h"
#include "core/text.h"
#include "core/units.h"
#include "core/yaml_reader.h"
#include "scenario/scenario.h"
#include "scenario/topology_loader.h"
#include "services/patroni_config.h"

namespace pgha {
namespace {

// HAProxy times: a number with us, ms (the default), s, m, h or d; a
// number of more than nine digits is no time anyone configures.
std::optional<Duration> HaproxyTime(const std::string& word) {
  size_t digits = 0;
  while (digits < word.size() && std::isdigit(static_cast<unsigned char>(word[digits]))) ++digits;
  if (digits == 0 || digits > 9) return std::nullopt;
  const double n = static_cast<double>(*ParseInt64(word.substr(0, digits)));
  const std::string unit = digits == word.size() ? "ms" : word.substr(digits);
  static const std::vector<std::pair<std::string, double>> kScale = {{"us", 1e-6}, {"ms", 1e-3}, {"s", 1},
                                                                     {"m", 60},    {"h", 3600},  {"d", 86400}};
  for (const auto& [name, scale] : kScale)
    if (unit == name) return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(n * scale));
  return std::nullopt;
}

struct CheckTiming {
  Duration inter = std::chrono::seconds(2);  // HAProxy's own defaults
  int fall = 3, rise = 2;
  bool shutdown_sessions = false;
};

Status ReadCheckWords(const std::vector<std::string>& w, size_t from, const std::string& where, CheckTiming* t) {
  for (size_t i = from; i + 1 < w.size(); ++i) {
    if (w[i] == "inter") {
      auto d = HaproxyTime(w[i + 1]);
      if (!d) return InvalidInput(fmt::format("{}: inter {} is not an HAProxy time", where, w[i + 1]));
      t->inter = *d;
    }
    if (w[i] == "fall") t->fall = ParseInt(w[i + 1]).value_or(t->fall);
    if (w[i] == "rise") t->rise = ParseInt(w[i + 1]).value_or(t->rise);
    if (w[i] == "on-marked-down" && w[i + 1] == "shutdown-sessions") t->shutdown_sessions = true;
  }
  return Status::Ok();
}

std::vector<std::string> Words(const std::string& line) {
  std::istringstream in(line.substr(0, line.find('#')));
  std::vector<std::string> w;
  for (std::string x; in >> x;) w.push_back(x);
  return w;
}

}  // namespace

// Every proxy section's checked servers, with its default-server line; the
// slowest section decides the timing, and shutdown-sessions must be on in all.
Status ReadHaproxyConfig(const std::string& text, const std::string& file, PredictInputs* in) {
  CheckTiming defaults, section;
  bool any = false, all_shutdown = true;
  Duration slowest{};
  int number = 0, slowest_line = 1, keeps_sessions_line = 0;
  for (const auto& line : Split(text, '\n')) {
    ++number;
    const auto w = Words(line);
    if (w.empty()) continue;
    const std::string where = fmt::format("{}:{}", file, number);
    if (w[0] == "defaults" || w[0] == "listen" || w[0] == "backend" || w[0] == "frontend" || w[0] == "global")
      section = defaults;
    if (w[0] == "default-server")
      if (Status s = ReadCheckWords(w, 1, where, &section); !s.ok()) return s;
    if (w[0] != "server" || std::find(w.begin(), w.end(), "check") == w.end()) continue;
    CheckTiming t = section;
    if (Status s = ReadCheckWords(w, 3, where, &t); !s.ok()) return s;
    any = true;
    all_shutdown &= t.shutdown_sessions;
    if (!t.shutdown_sessions && keeps_sessions_line == 0) keeps_sessions_line = number;
    if (t.inter * t.fall >= slowest) {
      slowest = t.inter * t.fall;
      slowest_line = number;
      in->haproxy.check_interval = t.inter;
      in->haproxy.fall = t.fall;
      in->haproxy.rise = t.rise;
    }
  }
  if (!any) return InvalidInput(file + ": no `server ... check` line: HAProxy checks nothing there");
  in->haproxy.shutdown_sessions = all_shutdown;
  in->haproxy_known = true;
  in->spots["haproxy.check"] = {file, slowest_line};
  in->spots["haproxy.shutdown_sessions"] = {file, keeps_sessions_line > 0 ? keeps_sessions_line : slowest_line};
  return Status::Ok();
}

Status ReadKeepalivedConfig(const std::string& text, const std::string& file, PredictInputs* in) {
  int number = 0;
  for (const auto& line : Split(text, '\n')) {
    ++number;
    const auto w = Words(line);
    if (w.size() >= 2 && w[0] == "advert_int") {
      auto v = ParseNumber(w[1]);
      if (!v || *v <= 0)
        return InvalidInput(fmt::format("{}:{}: advert_int {} is not a number of seconds", file, number, w[1]));
      in->vrrp_advert_int_s = *v;
      in->spots["keepalived.advert_int"] = {file, number};
    }
  }
  if (!in->spots.count("keepalived.advert_int")) in->spots["keepalived.advert_int"] = {file, 1};
  if (!in->vrrp_advert_int_s) in->vrrp_advert_int_s = 1;  // keepalived's default
  return Status::Ok();
}

namespace {

// The line of the first map key `key` in `node`, depth first; 0 when none.
int KeyLine(const YAML::Node& node, const std::string& key, int depth = 0) {
  if (depth > 8 || !node.IsMap()) return 0;
  for (const auto& kv : node) {
    if (kv.first.IsScalar() && kv.first.Scalar() == key) return kv.first.Mark().line + 1;
    if (int line = KeyLine(kv.second, key, depth + 1)) return line;
  }
  return 0;
}

// Where a YAML file set each setting lint judges; a setting it leaves to a
// default or to a named topology points at `fallback_key`'s line (or line 1).
// A Patroni YAML (`whole_cluster` false) says nothing of HAProxy or keepalived.
void SpotYamlSettings(const YAML::Node& root, const std::string& file, const std::string& fallback_key,
                      bool whole_cluster, PredictInputs* in) {
  static const std::vector<std::pair<const char*, const char*>> kKeys = {
      {"patroni.ttl", "ttl"},
      {"patroni.loop_wait", "loop_wait"},
      {"patroni.retry_timeout", "retry_timeout"},
      {"patroni.synchronous_mode", "synchronous_mode"},
      {"patroni.watchdog", "watchdog"},
      {"patroni.maximum_lag_on_failover", "maximum_lag_on_failover"},
      {"postgresql.wal_retrieve_retry_interval", "wal_retrieve_retry_interval"},
      {"haproxy.check", "haproxy"},
      {"haproxy.shutdown_sessions", "haproxy"},
      {"keepalived.advert_int", "advert_int"}};
  const int fallback = std::max(1, KeyLine(root, fallback_key));
  for (const auto& [setting, key] : kKeys) {
    const bool patroni =
        std::string(setting).rfind("patroni.", 0) == 0 || std::string(setting).rfind("postgresql.", 0) == 0;
    if (!whole_cluster && !patroni) continue;
    const int line = KeyLine(root, key);
    in->spots[setting] = {file, line > 0 ? line : fallback};
  }
}

// A Patroni YAML: bootstrap.dcs (as an overlay is read) and watchdog.mode.
Status ReadPatroniYaml(const YAML::Node& root, const std::string& file, PredictInputs* in) {
  Diagnostics diags;
  PatroniSettings p;  // Patroni's own defaults where the file is silent
  p.ttl = std::chrono::seconds(30);
  p.loop_wait = std::chrono::seconds(10);
  p.retry_timeout = std::chrono::seconds(10);
  ReadOverlaySettings(root, file, &p, &diags);
  if (!diags.empty()) return diags.ToStatus();
  const YAML::Node watchdog = root["watchdog"];
  if (watchdog && !watchdog.IsMap())
    return InvalidInput(
        fmt::format("{}:{}: watchdog is a map (watchdog: {{mode: required}})", file, watchdog.Mark().line + 1));
  p.watchdog = watchdog && watchdog["mode"] && watchdog["mode"].IsScalar() ? watchdog["mode"].Scalar() : "off";
  if (p.watchdog == "false") p.watchdog = "off";
  in->patroni = p;
  in->patroni_dcs = "";
  for (const char* dcs : {"etcd3", "etcd", "consul", "zookeeper", "exhibitor", "kubernetes", "raft"})
    if (root[dcs]) in->patroni_dcs = dcs;
  auto wal = p.postgresql_parameters.find("wal_retrieve_retry_interval");
  if (wal != p.postgresql_parameters.end()) {
    if (auto d = ParseDuration(wal->second); d.ok())
      in->wal_retrieve_retry_interval_s = ToSeconds(*d);
    else if (auto ms = ParseNumber(wal->second))
      in->wal_retrieve_retry_interval_s = *ms / 1000;
  }
  return Status::Ok();
}

Status ReadYamlInput(const std::string& file, const std::string& text, const std::string& fixtures_dir,
                     LintInputs* out) {
  Diagnostics diags;
  auto root = LoadYamlString(text, file, &diags);
  if (!root || !root->IsMap())
    return InvalidInput(file + ": not a topology, scenario, Patroni YAML, haproxy.cfg or keepalived.conf");
  if ((*root)["hosts"]) {
    auto t = LoadTopology(file);
    if (!t.ok()) return t.status();
    out->inputs = InputsFromTopology(t->topology);
    SpotYamlSettings(*root, file, "patroni", true, &out->inputs);
    out->read.push_back("topology " + file);
    return Status::Ok();
  }
  if ((*root)["steps"]) {
    auto s = LoadScenario(file, fixtures_dir);
    if (!s.ok()) return s.status();
    out->inputs = InputsFromTopology(s->scenario.topology);
    SpotYamlSettings(*root, file, "topology", true, &out->inputs);
    out->read.push_back("scenario " + file);
    return Status::Ok();
  }
  if ((*root)["scenarios"])
    return InvalidInput(file + ": a suite; lint reads one scenario or topology at a time: name one of its scenarios");
  if ((*root)["election-timeout"] || (*root)["initial-cluster"]) {
    std::map<std::string, EtcdSetting> settings;
    for (const char* key : {"election-timeout", "pre-vote"})
      if (const YAML::Node n = (*root)[key]) {
        bool on = false;  // YAML's booleans (True, yes) as etcd reads them
        const bool boolean = std::string(key) == "pre-vote" && n.IsScalar() && YAML::convert<bool>::decode(n, on);
        settings[key] = {boolean ? (on ? "true" : "false") : n.IsScalar() ? n.Scalar() : "", n.Mark().line + 1};
      }
    if (Status s = ApplyEtcdSettings(settings, file, &out->inputs); !s.ok()) return s;
    out->read.push_back("etcd " + file);
    return Status::Ok();
  }
  if (!HasPatroniSection(*root))
    return InvalidInput(file +
                        ": not a file lint reads: a topology, scenario, patroni.yml (scope, bootstrap, postgresql, "
                        "...), etcd config, haproxy.cfg or keepalived.conf");
  out->read.push_back("patroni " + file);
  if (Status s = ReadPatroniYaml(*root, file, &out->inputs); !s.ok()) return s;
  SpotYamlSettings(*root, file, "bootstrap", false, &out->inputs);
  return Status::Ok();
}

Status ReadOne(const std::string& file, const std::string& fixtures_dir, LintInputs* out) {
  auto text = ReadInputFile(file);
  if (!text.ok()) return text.status();
  switch (DetectConfigFormat(*text)) {
    case LintFormat::kKeepalived:
      out->read.push_back("keepalived " + file);
      return ReadKeepalivedConfig(*text, file, &out->inputs);
    case LintFormat::kHaproxy:
      out->read.push_back("haproxy " + file);
      return ReadHaproxyConfig(*text, file, &out->inputs);
    case LintFormat::kEtcdFlags: out->read.push_back("etcd " + file); return ReadEtcdFlags(*text, file, &out->inputs);
    case LintFormat::kYaml: break;
  }
  return ReadYamlInput(file, *text, fixtures_dir, out);
}

}  // namespace

// Told by structure: the first line that is not blank or a comment opens a
// keepalived block (vrrp_instance NAME {, global_defs {, ...) or an HAProxy
// section (global, defaults, listen, frontend, backend, at the margin);
// an etcd environment file (ETCD_NAME=...) or a systemd unit ([Unit]) is
// etcd's flags; anything else is read as YAML. A YAML file that merely mentions
// advert_int (a topology's keepalived settings) stays YAML.
LintFormat DetectConfigFormat(const std::string& text) {
  static const std::set<std::string> kKeepalived = {"global_defs",     "vrrp_instance",  "vrrp_script",
                                                    "vrrp_sync_group", "virtual_server", "static_ipaddress",
                                                    "include"};
  static const std::set<std::string> kHaproxy = {"global", "defaults", "listen", "frontend", "backend"};
  for (const auto& line : Split(text, '\n')) {
    const auto w = Words(line);
    if (w.empty()) continue;
    if (kKeepalived.count(w[0]) && line.find('{') != std::string::npos) return LintFormat::kKeepalived;
    if (kHaproxy.count(w[0]) && !line.empty() && !std::isspace(static_cast<unsigned char>(line[0])))
      return LintFormat::kHaproxy;
    const std::string& first = w[0] == "export" && w.size() > 1 ? w[1] : w[0];
    if ((first.rfind("ETCD_", 0) == 0 && first.find('=') != std::string::npos) || first == "[Unit]" ||
        first == "[Service]")
      return LintFormat::kEtcdFlags;
    return LintFormat::kYaml;
  }
  return LintFormat::kYaml;
}

Result<LintInputs> ReadLintInputs(const std::vector<std::string>& files, const std::string& fixtures_dir) {
  LintInputs out;
  for (const auto& f : files)
    if (Status s = ReadOne(f, fixtures_dir, &out); !s.ok()) return s;
  return out;
}

}  // namespace pgha
