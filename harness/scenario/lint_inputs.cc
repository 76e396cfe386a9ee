#include "scenario/lint_inputs.h"

#include <fmt/format.h>

#include <regex>
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

// HAProxy times: a number with us, ms (the default), s, m, h or d.
std::optional<Duration> HaproxyTime(const std::string& word) {
  static const std::regex kTime("^(\\d+)(us|ms|s|m|h|d)?$");
  std::smatch m;
  if (!std::regex_match(word, m, kTime)) return std::nullopt;
  const double n = std::stod(m[1]);
  const std::string unit = m[2].matched ? m[2].str() : "ms";
  const double s = unit == "us"   ? n / 1e6
                   : unit == "ms" ? n / 1e3
                   : unit == "s"  ? n
                   : unit == "m"  ? n * 60
                   : unit == "h"  ? n * 3600
                                  : n * 86400;
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(s));
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
  int number = 0;
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
    if (t.inter * t.fall >= slowest) {
      slowest = t.inter * t.fall;
      in->haproxy.check_interval = t.inter;
      in->haproxy.fall = t.fall;
      in->haproxy.rise = t.rise;
    }
  }
  if (!any) return InvalidInput(file + ": no `server ... check` line: HAProxy checks nothing there");
  in->haproxy.shutdown_sessions = all_shutdown;
  in->haproxy_known = true;
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
    }
  }
  if (!in->vrrp_advert_int_s) in->vrrp_advert_int_s = 1;  // keepalived's default
  return Status::Ok();
}

namespace {

// A Patroni YAML: bootstrap.dcs (as an overlay is read) and watchdog.mode.
Status ReadPatroniYaml(const YAML::Node& root, const std::string& file, PredictInputs* in) {
  Diagnostics diags;
  PatroniSettings p;  // Patroni's own defaults where the file is silent
  p.ttl = std::chrono::seconds(30);
  p.loop_wait = std::chrono::seconds(10);
  p.retry_timeout = std::chrono::seconds(10);
  ReadOverlaySettings(root, file, &p, &diags);
  if (!diags.empty()) return diags.ToStatus();
  p.watchdog = root["watchdog"] && root["watchdog"]["mode"] ? root["watchdog"]["mode"].as<std::string>("off") : "off";
  if (p.watchdog == "false") p.watchdog = "off";
  in->patroni = p;
  auto wal = p.postgresql_parameters.find("wal_retrieve_retry_interval");
  if (wal != p.postgresql_parameters.end()) {
    if (auto d = ParseDuration(wal->second); d.ok())
      in->wal_retrieve_retry_interval_s = ToSeconds(*d);
    else if (auto ms = ParseNumber(wal->second))
      in->wal_retrieve_retry_interval_s = *ms / 1000;
  }
  return Status::Ok();
}

Status ReadOne(const std::string& file, const std::string& fixtures_dir, LintInputs* out) {
  auto text = ReadTextFile(file);
  if (!text.ok()) return InvalidInput(file + ": cannot read it");
  if (text->find("\nvrrp_instance") != std::string::npos || text->rfind("vrrp_instance", 0) == 0 ||
      text->find("advert_int") != std::string::npos) {
    out->read.push_back("keepalived " + file);
    return ReadKeepalivedConfig(*text, file, &out->inputs);
  }
  if (std::regex_search(*text, std::regex("(^|\\n)\\s*(listen|backend)\\s"))) {
    out->read.push_back("haproxy " + file);
    return ReadHaproxyConfig(*text, file, &out->inputs);
  }
  Diagnostics diags;
  auto root = LoadYamlString(*text, file, &diags);
  if (!root || !root->IsMap())
    return InvalidInput(file + ": not a topology, scenario, Patroni YAML, haproxy.cfg or keepalived.conf");
  if ((*root)["hosts"]) {
    auto t = LoadTopology(file);
    if (!t.ok()) return t.status();
    out->inputs = InputsFromTopology(t->topology);
    out->read.push_back("topology " + file);
    return Status::Ok();
  }
  if ((*root)["steps"]) {
    auto s = LoadScenario(file, fixtures_dir);
    if (!s.ok()) return s.status();
    out->inputs = InputsFromTopology(s->scenario.topology);
    out->read.push_back("scenario " + file);
    return Status::Ok();
  }
  if ((*root)["election-timeout"]) {
    out->inputs.election_timeout_s = (*root)["election-timeout"].as<double>(1000) / 1000;
    out->read.push_back("etcd " + file);
    return Status::Ok();
  }
  out->read.push_back("patroni " + file);
  return ReadPatroniYaml(*root, file, &out->inputs);
}

}  // namespace

Result<LintInputs> ReadLintInputs(const std::vector<std::string>& files, const std::string& fixtures_dir) {
  LintInputs out;
  for (const auto& f : files)
    if (Status s = ReadOne(f, fixtures_dir, &out); !s.ok()) return s;
  return out;
}

}  // namespace pgha
