#include "cluster/topology.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>
#include <set>

#include "cluster/cidr.h"
#include "core/files.h"
#include "scenario/units.h"

namespace pgha {

namespace {

constexpr int kFirstHostOffset = 10;  // hosts get .10, .11, ...; .1 is the bridge

bool ParseRole(const std::string& s, HostRole* r) {
  if (s == "etcd") *r = HostRole::kEtcd;
  else if (s == "patroni") *r = HostRole::kPatroni;
  else if (s == "haproxy") *r = HostRole::kHaproxy;
  else return false;
  return true;
}

void ReadHosts(const YAML::Node& hosts, YamlMap& top, Topology* t) {
  if (!hosts.IsSequence()) return top.ErrorAt(hosts, "hosts must be a list of {name, roles}");
  static const std::regex kName("[a-z][a-z0-9]{0,7}");
  std::set<std::string> seen;
  int index = 0;
  for (const auto& h : hosts) {
    YamlMap host(h, top.file(), fmt::format("hosts[{}]", index++), top.diags());
    if (!host.valid()) continue;
    HostSpec spec;
    host.Require("name");
    host.String("name", &spec.name);
    if (auto n = host.Node("name")) {
      if (!std::regex_match(spec.name, kName))
        host.ErrorAt(*n, fmt::format("host name \"{}\" must be 1 to 8 lower-case letters or digits, starting with a letter", spec.name));
      else if (!seen.insert(spec.name).second)
        host.ErrorAt(*n, fmt::format("host name \"{}\" is used twice", spec.name));
    }
    std::vector<std::string> roles;
    host.Require("roles");
    host.StringList("roles", &roles);
    if (auto r = host.Node("roles")) {
      for (const auto& role : roles) {
        HostRole parsed;
        if (!ParseRole(role, &parsed)) host.ErrorAt(*r, fmt::format("unknown role \"{}\"; roles are etcd, patroni, haproxy", role));
        else if (!spec.Has(parsed)) spec.roles.push_back(parsed);
      }
    }
    host.Finish();
    t->hosts.push_back(spec);
  }
}

}  // namespace

bool HostSpec::Has(HostRole r) const { return std::find(roles.begin(), roles.end(), r) != roles.end(); }

std::vector<const HostSpec*> Topology::HostsWith(HostRole r) const {
  std::vector<const HostSpec*> out;
  for (const auto& h : hosts)
    if (h.Has(r)) out.push_back(&h);
  return out;
}

std::string RoleName(HostRole r) {
  switch (r) {
    case HostRole::kEtcd: return "etcd";
    case HostRole::kPatroni: return "patroni";
    case HostRole::kHaproxy: return "haproxy";
  }
  return "?";
}

void ReadPatroniSettings(YamlMap& m, PatroniSettings* p) {
  if (!m.valid()) return;
  m.Dur("ttl", &p->ttl);
  m.Dur("loop_wait", &p->loop_wait);
  m.Dur("retry_timeout", &p->retry_timeout);
  for (const char* key : {"ttl", "loop_wait", "retry_timeout"}) {
    if (auto n = m.Node(key)) {
      Duration d = std::string(key) == "ttl" ? p->ttl : std::string(key) == "loop_wait" ? p->loop_wait : p->retry_timeout;
      auto whole = WholeSeconds(d, std::string("patroni.") + key);
      if (!whole.ok()) m.ErrorAt(*n, whole.status().message());
      else if (*whole < 1) m.ErrorAt(*n, fmt::format("patroni.{} must be at least 1s", key));
    }
  }
  uint64_t lag = static_cast<uint64_t>(p->maximum_lag_on_failover);
  m.Size("maximum_lag_on_failover", &lag);
  p->maximum_lag_on_failover = static_cast<int64_t>(lag);
  m.Bool("synchronous_mode", &p->synchronous_mode);
  m.Bool("synchronous_mode_strict", &p->synchronous_mode_strict);
  m.Bool("use_pg_rewind", &p->use_pg_rewind);
  if (auto n = m.Node("postgresql_parameters")) {
    if (!n->IsMap()) m.ErrorAt(*n, "patroni.postgresql_parameters must map setting names to values");
    else
      for (const auto& kv : *n) {
        if (!kv.second.IsScalar()) m.ErrorAt(kv.second, "a PostgreSQL parameter value must be a scalar");
        else p->postgresql_parameters[kv.first.Scalar()] = kv.second.Scalar();
      }
  }
  m.Finish();
}

void ReadHaproxySettings(YamlMap& m, HaproxySettings* h) {
  if (!m.valid()) return;
  m.Dur("check_interval", &h->check_interval);
  m.Dur("check_timeout", &h->check_timeout);
  m.Int("fall", 1, 100, &h->fall);
  m.Int("rise", 1, 100, &h->rise);
  m.Bool("shutdown_sessions", &h->shutdown_sessions);
  for (const char* key : {"check_interval", "check_timeout"}) {
    if (auto n = m.Node(key)) {
      Duration d = std::string(key) == "check_interval" ? h->check_interval : h->check_timeout;
      if (d < 10ms || d.count() % 1000000 != 0) m.ErrorAt(*n, fmt::format("haproxy.{} must be whole milliseconds, at least 10ms", key));
    }
  }
  m.Finish();
}

std::vector<std::string> PatroniTimingWarnings(const PatroniSettings& p) {
  std::vector<std::string> w;
  if (p.loop_wait + 2 * p.retry_timeout > p.ttl)
    w.push_back(fmt::format(
        "patroni settings break loop_wait + 2*retry_timeout <= ttl ({} + 2*{} > {}): Patroni 3.0.2 does not check this, "
        "and a leader may lose its key during a DCS hiccup without noticing in time",
        FormatDuration(p.loop_wait), FormatDuration(p.retry_timeout), FormatDuration(p.ttl)));
  return w;
}

Status ValidateTopology(const Topology& t, std::vector<std::string>* warnings) {
  const std::string where = t.source_file.empty() ? t.name : t.source_file;
  auto subnet = ParseSubnet(t.subnet);
  if (!subnet.ok()) return subnet.status().WithContext(where);
  if (subnet->prefix < 16 || subnet->prefix > 28)
    return InvalidInput(fmt::format("{}: subnet {} must have a prefix between /16 and /28", where, t.subnet));
  if (subnet->Size() < t.hosts.size() + kFirstHostOffset + 2)
    return InvalidInput(fmt::format("{}: subnet {} is too small for {} hosts; use a /24", where, t.subnet, t.hosts.size()));
  if (t.HostsWith(HostRole::kEtcd).empty()) return InvalidInput(where + ": no host has the etcd role; Patroni needs etcd");
  if (t.HostsWith(HostRole::kPatroni).empty()) return InvalidInput(where + ": no host has the patroni role");
  if (t.HostsWith(HostRole::kHaproxy).size() > 1) return InvalidInput(where + ": at most one host may have the haproxy role");
  if (t.up_timeout < 5s) return InvalidInput(where + ": up_timeout must be at least 5s");
  if (t.data_volume != 0 && t.data_volume < 256ull * 1024 * 1024)
    return InvalidInput(where + ": data_volume must be 0 (data on disk) or at least 256MiB (PostgreSQL keeps up to 256MB of WAL)");
  for (auto& w : PatroniTimingWarnings(t.patroni)) warnings->push_back(where + ": " + w);
  if (t.HostsWith(HostRole::kEtcd).size() % 2 == 0)
    warnings->push_back(fmt::format("{}: {} etcd members: an even count tolerates no more failures than one fewer", where,
                                    t.HostsWith(HostRole::kEtcd).size()));
  return Status::Ok();
}

Result<LoadedTopology> ParseTopology(const std::string& yaml_text, const std::string& name) {
  Diagnostics diags;
  auto root = LoadYamlString(yaml_text, name, &diags);
  if (!root) return diags.ToStatus();
  LoadedTopology out;
  Topology& t = out.topology;
  t.source_file = name;
  YamlMap top(*root, name, "the topology", &diags);
  if (top.valid()) {
    top.Require("name");
    top.String("name", &t.name);
    top.String("subnet", &t.subnet);
    if (auto s = top.Node("subnet")) {
      auto parsed = ParseSubnet(t.subnet);
      if (!parsed.ok()) top.ErrorAt(*s, parsed.status().message());
    }
    top.Dur("up_timeout", &t.up_timeout);
    top.Size("data_volume", &t.data_volume);
    top.Require("hosts");
    if (auto hosts = top.Node("hosts")) ReadHosts(*hosts, top, &t);
    if (auto n = top.Node("patroni")) {
      YamlMap m(*n, name, "patroni", &diags);
      ReadPatroniSettings(m, &t.patroni);
    }
    if (auto n = top.Node("haproxy")) {
      YamlMap m(*n, name, "haproxy", &diags);
      ReadHaproxySettings(m, &t.haproxy);
    }
    top.Finish();
  }
  if (!diags.empty()) return diags.ToStatus();
  Status valid = ValidateTopology(t, &out.warnings);
  if (!valid.ok()) return valid;
  return out;
}

Result<LoadedTopology> LoadTopology(const std::string& path) {
  auto text = ReadTextFile(path);
  if (!text.ok()) return InvalidInput(path + ": cannot read the topology file (does it exist?)");
  return ParseTopology(*text, path);
}

}  // namespace pgha
