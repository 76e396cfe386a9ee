#include "services/patroni_config.h"

#include <fmt/format.h>
#include <cctype>

#include <map>
#include <set>

#include "core/files.h"
#include "core/units.h"

namespace pgha {
namespace {

// The keys Patroni 3.0.2 knows in the maps it defines; maps not listed
// here (tags, postgresql.parameters, bootstrap.initdb, ...) take any key.
const std::map<std::string, std::set<std::string>>& KnownKeys() {
  static const std::map<std::string, std::set<std::string>> kKnown = {
      {"",
       {"name", "namespace", "scope", "log", "bootstrap", "citus", "consul", "etcd", "etcd3", "exhibitor", "kubernetes",
        "raft", "zookeeper", "restapi", "ctl", "postgresql", "watchdog", "tags"}},
      {"log",
       {"type", "level", "traceback_level", "format", "dateformat", "static_fields", "max_queue_size", "dir",
        "file_num", "file_size", "mode", "loggers"}},
      {"bootstrap", {"dcs", "method", "initdb", "pg_hba", "users", "post_bootstrap", "post_init"}},
      {"bootstrap.dcs",
       {"ttl", "loop_wait", "retry_timeout", "maximum_lag_on_failover", "maximum_lag_on_syncnode",
        "max_timelines_history", "master_start_timeout", "primary_start_timeout", "master_stop_timeout",
        "primary_stop_timeout", "synchronous_mode", "synchronous_mode_strict", "synchronous_node_count",
        "failsafe_mode", "check_timeline", "postgresql", "standby_cluster", "slots", "ignore_slots"}},
      {"bootstrap.dcs.postgresql",
       {"use_pg_rewind", "use_slots", "parameters", "pg_hba", "pg_ident", "recovery_conf",
        "remove_data_directory_on_"
        "rewind_failure"}},
      {"restapi",
       {"listen", "connect_address", "proxy_address", "authentication", "certfile", "keyfile", "keyfile_password",
        "cafile", "ciphers", "verify_client", "allowlist", "allowlist_include_members", "http_extra_headers",
        "https_extra_headers", "request_queue_size"}},
      {"ctl", {"insecure", "cacert", "certfile", "keyfile", "keyfile_password"}},
      {"watchdog", {"mode", "device", "safety_margin", "driver"}},
      {"postgresql",
       {"listen",
        "connect_address",
        "proxy_address",
        "authentication",
        "callbacks",
        "config_dir",
        "data_dir",
        "bin_dir",
        "bin_name",
        "database",
        "pgpass",
        "parameters",
        "pg_hba",
        "pg_ident",
        "pg_ctl_timeout",
        "use_pg_rewind",
        "remove_data_directory_on_rewind_failure",
        "remove_data_directory_on_diverged_timelines",
        "replica_method",
        "create_replica_methods",
        "basebackup",
        "recovery_conf",
        "custom_conf",
        "use_unix_socket",
        "use_unix_socket_repl",
        "pre_promote",
        "before_stop",
        "pg_rewind"}},
  };
  return kKnown;
}

// Settings the harness owns, with why.
const std::map<std::string, std::string>& OwnedKeys() {
  static const std::map<std::string, std::string> kOwned = {
      {"scope", "the harness names the cluster per run"},
      {"name", "the harness names each member after its host"},
      {"namespace", "the harness's etcd holds only this run's keys"},
      {"etcd", "the DCS is the harness's own etcd"},
      {"etcd3", "the DCS is the harness's own etcd"},
      {"consul", "the DCS is the harness's own etcd"},
      {"zookeeper", "the DCS is the harness's own etcd"},
      {"exhibitor", "the DCS is the harness's own etcd"},
      {"kubernetes", "the DCS is the harness's own etcd"},
      {"raft", "the DCS is the harness's own etcd"},
      {"restapi.listen", "addresses and ports come from the topology"},
      {"restapi.connect_address", "addresses and ports come from the topology"},
      {"restapi.certfile", "certificates are made per run (tls: in the topology)"},
      {"restapi.keyfile", "certificates are made per run (tls: in the topology)"},
      {"restapi.cafile", "certificates are made per run (tls: in the topology)"},
      {"postgresql.listen", "addresses and ports come from the topology"},
      {"postgresql.connect_address", "addresses and ports come from the topology"},
      {"postgresql.data_dir", "the harness places each member's data directory"},
      {"postgresql.bin_dir", "the harness runs Debian's PostgreSQL 15"},
      {"postgresql.pgpass", "the harness keeps each member's files in its host folder"},
      {"postgresql.authentication", "passwords are generated per run"},
      {"postgresql.parameters.port", "addresses and ports come from the topology"},
      {"postgresql.parameters.listen_addresses", "addresses and ports come from the topology"},
      {"postgresql.parameters.unix_socket_directories", "the harness keeps each member's files in its host folder"},
      {"postgresql.parameters.ssl_cert_file", "certificates are made per run (tls: in the topology)"},
      {"postgresql.parameters.ssl_key_file", "certificates are made per run (tls: in the topology)"},
      {"postgresql.parameters.ssl_ca_file", "certificates are made per run (tls: in the topology)"},
      {"bootstrap.dcs.postgresql.parameters.port", "addresses and ports come from the topology"},
      {"watchdog", "set patroni.watchdog in the topology instead"},
      {"log.dir", "Patroni's log is collected from its output"},
      {"log.type", "Patroni's log is collected from its output as plain lines"},
  };
  return kOwned;
}

// PostgreSQL and Patroni take parameter names in any case: PORT is port.
std::string OwnedKeyOf(const std::string& path, const std::string& key) {
  const bool guc = path == "postgresql.parameters" || path == "bootstrap.dcs.postgresql.parameters";
  std::string k = key;
  if (guc)
    for (auto& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return path.empty() ? k : path + "." + k;
}

void CheckMap(const YAML::Node& node, const std::string& path, const std::string& file, Diagnostics* diags) {
  if (!node.IsMap()) return;
  const auto known = KnownKeys().find(path);
  for (const auto& kv : node) {
    const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
    const std::string full = OwnedKeyOf(path, key);
    if (known != KnownKeys().end() && known->second.count(key) == 0) {
      const std::string close = ClosestMatch(key, known->second);
      diags->Error(file, kv.first.Mark(),
                   fmt::format("Patroni 3.0.2 has no setting \"{}\"{}", full,
                               close.empty() ? "" : fmt::format("; did you mean \"{}\"?", close)));
      continue;
    }
    if (auto owned = OwnedKeys().find(full); owned != OwnedKeys().end()) {
      diags->Error(file, kv.first.Mark(),
                   fmt::format("\"{}\" is set by pgha-chaos ({}) and would override yours: remove it from the overlay",
                               full, owned->second));
      continue;
    }
    // A section Patroni reads as a mapping (bootstrap, bootstrap.dcs, ...) given as a scalar or a list.
    if (KnownKeys().count(full) && !kv.second.IsMap() && !kv.second.IsNull()) {
      diags->Error(file, kv.second.Mark(), fmt::format("\"{}\" is a mapping of settings in patroni.yml", full));
      continue;
    }
    CheckMap(kv.second, full, file, diags);
  }
}

void Merge(YAML::Node base, const YAML::Node& over) {
  for (const auto& kv : over) {
    const std::string key = kv.first.Scalar();
    YAML::Node target = base[key];
    if (target.IsMap() && kv.second.IsMap())
      Merge(target, kv.second);
    else
      base[key] = YAML::Clone(kv.second);
  }
}

// A whole number of seconds as Patroni writes it (10) or as the harness does (10s).
void ReadSeconds(const YAML::Node& n, const std::string& file, const char* key, Duration* out, Diagnostics* diags) {
  if (!n[key]) return;
  const std::string text = n[key].IsScalar() ? n[key].Scalar() : "";
  auto d = ParseDuration(text.find_first_not_of("0123456789") == std::string::npos ? text + "s" : text);
  auto whole = d.ok() ? WholeSeconds(*d, key) : Result<int>(d.status());
  if (!whole.ok() || *whole < 1)
    diags->Error(file, n[key].Mark(),
                 fmt::format("bootstrap.dcs.{} must be a whole number of seconds, at least 1", key));
  else
    *out = std::chrono::seconds(*whole);
}

void ReadBool(const YAML::Node& n, const std::string& file, const std::string& where, const char* key, bool* out,
              Diagnostics* diags) {
  if (!n[key]) return;
  try {
    *out = n[key].as<bool>();
  } catch (const YAML::Exception&) {
    diags->Error(file, n[key].Mark(), fmt::format("{}.{} must be true or false", where, key));
  }
}

// Emits `n`, keeping every scalar that was quoted in its file quoted
// (yaml-cpp's plain emitter would turn "on" or "0123" into a boolean or a
// number for Patroni's YAML reader).
void Emit(YAML::Emitter& out, const YAML::Node& n) {
  if (n.IsMap()) {
    out << YAML::BeginMap;
    for (const auto& kv : n) {
      out << YAML::Key << kv.first.Scalar() << YAML::Value;
      Emit(out, kv.second);
    }
    out << YAML::EndMap;
  } else if (n.IsSequence()) {
    out << YAML::BeginSeq;
    for (const auto& item : n) Emit(out, item);
    out << YAML::EndSeq;
  } else if (n.IsScalar()) {
    if (n.Tag() == "!") out << YAML::DoubleQuoted;
    out << n.Scalar();
  } else {
    out << YAML::Null;
  }
}

}  // namespace

std::string HarnessOwnedParameter(const std::string& name) {
  auto owned = OwnedKeys().find(OwnedKeyOf("postgresql.parameters", name));
  return owned == OwnedKeys().end() ? "" : owned->second;
}

bool HasPatroniSection(const YAML::Node& root) {
  if (!root.IsMap()) return false;
  for (const auto& key : KnownKeys().at(""))
    if (key != "name" && key != "namespace" && root[key]) return true;
  return false;
}

void CheckPatroniOverlay(const YAML::Node& root, const std::string& file, Diagnostics* diags) {
  if (!root.IsMap()) {
    diags->Error(file, root.Mark(), "a Patroni overlay is a mapping, in the format of patroni.yml");
    return;
  }
  CheckMap(root, "", file, diags);
}

void ReadOverlaySettings(const YAML::Node& root, const std::string& file, PatroniSettings* p, Diagnostics* diags) {
  if (!root.IsMap() || !root["bootstrap"] || !root["bootstrap"].IsMap()) return;
  const YAML::Node dcs = root["bootstrap"]["dcs"];
  if (!dcs || !dcs.IsMap()) return;
  ReadSeconds(dcs, file, "ttl", &p->ttl, diags);
  ReadSeconds(dcs, file, "loop_wait", &p->loop_wait, diags);
  ReadSeconds(dcs, file, "retry_timeout", &p->retry_timeout, diags);
  if (dcs["maximum_lag_on_failover"] && dcs["maximum_lag_on_failover"].IsScalar()) {
    auto size = ParseSize(
        dcs["maximum_lag_on_failover"].Scalar() +
        (dcs["maximum_lag_on_failover"].Scalar().find_first_not_of("0123456789") == std::string::npos ? "B" : ""));
    if (!size.ok())
      diags->Error(file, dcs["maximum_lag_on_failover"].Mark(), "bootstrap.dcs.maximum_lag_on_failover must be bytes");
    else
      p->maximum_lag_on_failover = static_cast<int64_t>(*size);
  }
  ReadBool(dcs, file, "bootstrap.dcs", "synchronous_mode", &p->synchronous_mode, diags);
  ReadBool(dcs, file, "bootstrap.dcs", "synchronous_mode_strict", &p->synchronous_mode_strict, diags);
  if (const YAML::Node pg = dcs["postgresql"]; pg && pg.IsMap()) {
    ReadBool(pg, file, "bootstrap.dcs.postgresql", "use_pg_rewind", &p->use_pg_rewind, diags);
    if (const YAML::Node params = pg["parameters"]; params && params.IsMap())
      for (const auto& kv : params)
        if (kv.second.IsScalar()) p->postgresql_parameters[kv.first.Scalar()] = kv.second.Scalar();
  }
}

Result<std::string> MergePatroniOverlay(const std::string& rendered_yaml, const std::string& overlay_path) {
  auto text = ReadInputFile(overlay_path);
  if (!text.ok()) return text.status();
  try {
    YAML::Node base = YAML::Load(rendered_yaml);
    Merge(base, YAML::Load(*text));
    YAML::Emitter out;
    Emit(out, base);
    return std::string("# rendered by pgha-chaos, with ") + overlay_path + " merged over it\n" + out.c_str() + "\n";
  } catch (const YAML::Exception& e) {
    return InvalidInput(fmt::format("{}: {}", overlay_path, e.msg));
  }
}

}  // namespace pgha
