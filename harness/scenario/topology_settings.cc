// The settings blocks of a topology (patroni, haproxy, pgbouncer, vip, tls,
// templates), shared with the scenario and suite loaders, which override
// the same blocks.
#include <fmt/format.h>

#include <filesystem>

#include "core/cidr.h"
#include "core/files.h"
#include "core/text.h"
#include "core/units.h"
#include "scenario/input_kind.h"
#include "scenario/topology_loader.h"
#include "services/patroni_config.h"
#include "services/registry.h"
#include "services/template_check.h"

namespace pgha {
namespace {

void ReadWholeSeconds(YamlMap& m, const char* key, Duration* value) {
  m.Dur(key, value);
  auto n = m.Node(key);
  if (!n) return;
  auto whole = WholeSeconds(*value, std::string("patroni.") + key);
  if (!whole.ok())
    m.ErrorAt(*n, whole.status().message());
  else if (*whole < 1)
    m.ErrorAt(*n, fmt::format("patroni.{} must be at least 1s", key));
}

void ReadWholeMillis(YamlMap& m, const std::string& where, const char* key, Duration min, Duration* value) {
  m.Dur(key, value);
  auto n = m.Node(key);
  if (n && (*value < min || value->count() % 1000000 != 0))
    m.ErrorAt(*n, fmt::format("{}.{} must be whole milliseconds, at least {}", where, key, FormatDuration(min)));
}

// A path in a settings file, relative to that file; "" when absent.
std::string ReadPath(YamlMap& m, const std::string& key, const std::string& where) {
  std::string path;
  m.String(key, &path);
  auto n = m.Node(key);
  if (!n || path.empty()) return "";
  namespace fs = std::filesystem;
  const fs::path resolved = fs::path(path).is_absolute() ? fs::path(path) : fs::path(m.file()).parent_path() / path;
  if (std::error_code ec; !fs::is_regular_file(resolved, ec)) {
    m.ErrorAt(*n, fs::exists(resolved, ec)
                      ? fmt::format("{}.{}: {} is not a regular file; name a file", where, key, resolved.string())
                      : fmt::format("{}.{}: no such file {}", where, key, resolved.string()));
    return "";
  }
  return fs::absolute(resolved).lexically_normal().string();
}

void ReadWatchdog(YamlMap& m, PatroniSettings* p) {
  m.String("watchdog", &p->watchdog);
  if (auto n = m.Node("watchdog"); n && p->watchdog != "off" && p->watchdog != "emulated")
    m.ErrorAt(*n, fmt::format("patroni.watchdog is \"off\" or \"emulated\", not \"{}\"", p->watchdog));
  auto n = m.Node("watchdog_safety_margin");
  if (!n) return;
  if (n->IsScalar() && n->Scalar() == "-1") {
    p->watchdog_safety_margin = -1;
    return;
  }
  Duration margin{};
  m.Dur("watchdog_safety_margin", &margin);
  auto whole = WholeSeconds(margin, "patroni.watchdog_safety_margin");
  if (!whole.ok())
    m.ErrorAt(*n, whole.status().message() + " (or -1 for ttl/2)");
  else
    p->watchdog_safety_margin = *whole;
}

// patroni.config_overlay: a YAML file by its name (any other file, /etc/shadow, is
// neither read nor quoted back); the overlay's own mistakes point into it.
void ReadOverlay(YamlMap& m, PatroniSettings* p) {
  const std::string path = ReadPath(m, "config_overlay", "patroni");
  if (path.empty()) return;
  const std::string ext = std::filesystem::path(path).extension().string();
  if (ext != ".yml" && ext != ".yaml")
    return m.ErrorAt(*m.Node("config_overlay"),
                     fmt::format("patroni.config_overlay: {} is not a YAML file (.yml or .yaml): name your Patroni "
                                 "settings file",
                                 path));
  p->config_overlay = path;
  if (auto root = LoadYamlFile(path, m.diags())) {
    CheckPatroniOverlay(*root, path, m.diags());
    ReadOverlaySettings(*root, path, p, m.diags());
  }
}

}  // namespace

void ReadPatroniSettings(YamlMap& m, PatroniSettings* p) {
  if (!m.valid()) return;
  ReadWholeSeconds(m, "ttl", &p->ttl);
  ReadWholeSeconds(m, "loop_wait", &p->loop_wait);
  ReadWholeSeconds(m, "retry_timeout", &p->retry_timeout);
  uint64_t lag = static_cast<uint64_t>(p->maximum_lag_on_failover);
  m.Size("maximum_lag_on_failover", &lag);
  p->maximum_lag_on_failover = static_cast<int64_t>(lag);
  m.Bool("synchronous_mode", &p->synchronous_mode);
  m.Bool("synchronous_mode_strict", &p->synchronous_mode_strict);
  m.Bool("use_pg_rewind", &p->use_pg_rewind);
  ReadWatchdog(m, p);
  ReadOverlay(m, p);
  if (auto n = m.Node("postgresql_parameters")) {
    if (!n->IsMap())
      m.ErrorAt(*n, "patroni.postgresql_parameters must map setting names to values");
    else
      for (const auto& kv : *n) {
        if (!kv.second.IsScalar())
          m.ErrorAt(kv.second, "a PostgreSQL parameter value must be a scalar");
        else if (const std::string why = HarnessOwnedParameter(kv.first.Scalar()); !why.empty())
          m.ErrorAt(kv.first, fmt::format("patroni.postgresql_parameters.{} is set by pgha-chaos ({}): remove it",
                                          Shorten(kv.first.Scalar()), why));
        else
          p->postgresql_parameters[kv.first.Scalar()] = kv.second.Scalar();
      }
  }
  m.Finish();
}

void ReadHaproxySettings(YamlMap& m, HaproxySettings* h) {
  if (!m.valid()) return;
  ReadWholeMillis(m, "haproxy", "check_interval", 10ms, &h->check_interval);
  ReadWholeMillis(m, "haproxy", "check_timeout", 10ms, &h->check_timeout);
  m.Int("fall", 1, 100, &h->fall);
  m.Int("rise", 1, 100, &h->rise);
  m.Bool("shutdown_sessions", &h->shutdown_sessions);
  m.Finish();
}

void ReadPgbouncerSettings(YamlMap& m, PgbouncerSettings* b) {
  if (!m.valid()) return;
  m.String("pool_mode", &b->pool_mode);
  if (auto n = m.Node("pool_mode"); n && b->pool_mode != "session" && b->pool_mode != "transaction")
    m.ErrorAt(*n, fmt::format("pgbouncer.pool_mode is \"session\" or \"transaction\", not \"{}\"", b->pool_mode));
  m.String("backend", &b->backend);
  if (auto n = m.Node("backend"); n && b->backend != "local" && b->backend != "router")
    m.ErrorAt(*n, fmt::format("pgbouncer.backend is \"local\" (the host's PostgreSQL) or \"router\" (the read-write "
                              "router), not \"{}\"",
                              b->backend));
  ReadWholeMillis(m, "pgbouncer", "server_check_delay", 0ms, &b->server_check_delay);
  ReadWholeMillis(m, "pgbouncer", "server_login_retry", 0ms, &b->server_login_retry);
  ReadWholeMillis(m, "pgbouncer", "server_connect_timeout", 100ms, &b->server_connect_timeout);
  ReadWholeMillis(m, "pgbouncer", "query_wait_timeout", 0ms, &b->query_wait_timeout);
  m.Finish();
}

void ReadVip(YamlMap& m, const std::string& subnet_text, VipSpec* v) {
  if (!m.valid()) return;
  m.Require("address");
  if (auto n = m.Node("address")) {
    const std::string text = n->IsScalar() ? n->Scalar() : "";
    auto number = ParseInt(text);
    auto subnet = ParseSubnet(subnet_text);
    int64_t at = -1;
    if (number && *number >= 0)
      at = *number;
    else if (subnet.ok() && subnet->Contains(text))
      at = subnet->Offset(text);
    if (at < 0)
      m.ErrorAt(*n, fmt::format("vip.address \"{}\" must be a host number of the subnet (100 means .100) or an "
                                "address inside {}",
                                text, subnet_text));
    else if (at <= 1)
      m.ErrorAt(*n, fmt::format("vip.address .{} is {}; pick another number, e.g. 100", at,
                                at == 0 ? "the subnet's network address" : "the provider's own address (the bridge)"));
    else
      v->host_number = static_cast<int>(at);
  }
  ReadWholeMillis(m, "vip", "advert_int", 10ms, &v->advert_int);
  if (auto n = m.Node("advert_int"); n && v->advert_int.count() % 10000000 != 0)
    m.ErrorAt(*n, "vip.advert_int must be whole centiseconds (VRRPv3 counts in 10 ms), e.g. 100ms or 1s");
  m.Int("virtual_router_id", 1, 255, &v->virtual_router_id);
  m.Finish();
}

void ReadTlsSettings(YamlMap& m, TlsSettings* t) {
  if (!m.valid()) return;
  m.Bool("etcd", &t->etcd);
  m.Bool("patroni_api", &t->patroni_api);
  m.Bool("postgres", &t->postgres);
  m.Finish();
}

void ReadTemplates(YamlMap& m, ConfigTemplates* t) {
  if (!m.valid()) return;
  for (const char* kind : {"haproxy", "pgbouncer", "keepalived"}) {
    const std::string path = ReadPath(m, kind, "templates");
    if (path.empty()) continue;
    t->by_service[kind] = path;
    auto text = ReadInputFile(path);
    if (text.ok() && ConfigKindOf(*text) != kind) {
      if (auto n = m.Node(kind))
        m.ErrorAt(*n, fmt::format("templates.{}: {} is not a {} config (told by its first section); name your {} "
                                  "template",
                                  kind, path, kind, kind));
    } else if (text.ok()) {
      CheckTemplateOwnership(kind, *text, path, m.diags());
    } else if (auto n = m.Node(kind)) {
      m.ErrorAt(*n, fmt::format("templates.{}: {}", kind, text.status().message()));
    }
  }
  m.Finish();
}

Status RenderUserConfigs(const Topology& t) {
  if (t.templates.by_service.empty()) return Status::Ok();
  auto plan = MakePlan(t, "000000", "/var/lib/pgha-chaos", "check");
  if (!plan.ok()) return plan.status();
  const Secrets secrets{"x", "x", "x"};
  for (const auto& [kind, path] : t.templates.by_service) {
    const auto hosts = plan->HostsRunning(kind);
    if (hosts.empty())
      return InvalidInput(fmt::format("templates.{}: no host of topology {} runs {}", kind, t.name, kind));
    auto files = FindService(kind)->Render({*plan, *hosts[0], t, secrets, ""});
    if (!files.ok()) return files.status();
  }
  return Status::Ok();
}

}  // namespace pgha
