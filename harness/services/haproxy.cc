#include "services/haproxy.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <sstream>

#include "services/fixtures.h"
#include "services/service.h"
#include "services/targets.h"

namespace pgha {
namespace {

int64_t Millis(Duration d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); }

// The template's backends and the clients each one serves.
std::optional<EndpointRole> RoleOf(const std::string& backend) {
  if (backend == "primary") return EndpointRole::kReadWrite;
  if (backend == "replicas") return EndpointRole::kReadOnly;
  return std::nullopt;
}

TemplateContext HaproxyVars(const RenderContext& c) {
  const auto& h = c.topology.haproxy;
  TemplateContext v = CommonTemplateVars(c.plan, c.host);
  v.Set("check_interval_ms", std::to_string(Millis(h.check_interval)))
      .Set("check_timeout_ms", std::to_string(Millis(h.check_timeout)))
      .Set("fall", std::to_string(h.fall))
      .Set("rise", std::to_string(h.rise))
      .Set("stats_port", std::to_string(c.host.Port("haproxy", "stats")))
      .Set("primary_port", std::to_string(c.host.Port("haproxy", "primary")))
      .Set("replica_port", std::to_string(c.host.Port("haproxy", "replicas")))
      .SetFlag("shutdown_sessions", h.shutdown_sessions)
      .Set("check_tls", c.plan.tls.links.patroni_api
                            ? fmt::format(" check-ssl verify required ca-file {}/ca.crt", HostTlsDir(c.host))
                            : "");
  auto& nodes = v.lists["patroni_nodes"];
  for (const auto* n : c.plan.HostsRunning("patroni")) {
    TemplateContext item;
    item.Set("name", n->name)
        .Set("address", n->address)
        .Set("postgres_port", std::to_string(n->Port("patroni", "postgres")))
        .Set("patroni_port", std::to_string(n->Port("patroni", "api")));
    nodes.push_back(item);
  }
  return v;
}

// Whether a backend server is in the state the leader asks for:
// read-write clients go to the leader alone, read-only ones to the others.
void JudgeBackends(const ServiceCheck& c, const std::string& leader, std::vector<std::string>* problems) {
  for (const auto& b : c.backends) {
    const bool is_leader = b.server == leader;
    const bool want_up = b.role == EndpointRole::kReadWrite ? is_leader : !is_leader;
    if (b.up != want_up)
      problems->push_back(
          fmt::format("HAProxy to mark {} {} in the {} backend", b.server, want_up ? "UP" : "DOWN", b.backend));
  }
}

class Haproxy : public Service {
 public:
  std::string Kind() const override { return "haproxy"; }
  ServiceTier Tier() const override { return ServiceTier::kRouter; }
  std::map<std::string, int> DefaultPorts() const override {
    return {{"primary", 5000}, {"replicas", 5001}, {"stats", 7000}};
  }
  std::map<EndpointRole, std::string> EndpointPorts() const override {
    return {{EndpointRole::kReadWrite, "primary"}, {EndpointRole::kReadOnly, "replicas"}};
  }
  std::vector<RequiredProgram> Programs() const override { return {{"/usr/sbin/haproxy", "haproxy"}}; }
  std::vector<VersionQuery> Versions() const override { return {{"haproxy", {"/usr/sbin/haproxy", "-v"}}}; }

  Result<std::vector<FileSpec>> Render(const RenderContext& c) const override {
    auto text = RenderServiceConfig(c, "haproxy", "haproxy.cfg", HaproxyVars(c));
    if (!text.ok()) return text.status();
    return std::vector<FileSpec>{{c.host.dir + "/haproxy.cfg", *text, 0644, ""}};
  }
  DaemonLaunch Launch(const ClusterPlan&, const HostPlan& h) const override {
    return ServiceDaemon("haproxy", h, {"/usr/sbin/haproxy", "-db", "-f", h.dir + "/haproxy.cfg"});
  }

  ServiceCheck Probe(const ProbeContext& c, const HostPlan& h) const override {
    ServiceCheck check{"haproxy", h.name, false, false, "", {}};
    auto r = c.http.Get(PlainHttp(h.address, h.Port("haproxy", "stats")), "/;csv", c.call_timeout);
    if (!r.ok()) {
      check.error = r.status().message();
      return check;
    }
    if (r->status != 200) {
      check.error = fmt::format("stats page answered HTTP {}", r->status);
      return check;
    }
    auto servers = ParseHaproxyCsv(r->body);
    if (!servers.ok()) {
      check.error = servers.status().message();
      return check;
    }
    check.answered = check.healthy = true;
    for (const auto& s : *servers)
      if (auto role = RoleOf(s.backend)) check.backends.push_back({*role, s.backend, s.server, s.status, s.Up()});
    return check;
  }

  HealthPart Judge(const std::vector<ServiceCheck>& checks, const HealthFacts& facts,
                   const std::vector<std::string>& endpoint_problems) const override {
    HealthPart part;
    for (const auto& c : checks) {
      if (!c.answered)
        part.problems.push_back("HAProxy's stats page" + (c.error.empty() ? "" : " (" + c.error + ")"));
      else if (!facts.leader.empty())
        JudgeBackends(c, facts.leader, &part.problems);
    }
    const bool routing = part.problems.empty() && endpoint_problems.empty() && !facts.leader.empty() &&
                         std::all_of(checks.begin(), checks.end(), [](const ServiceCheck& c) { return c.answered; });
    part.problems.insert(part.problems.end(), endpoint_problems.begin(), endpoint_problems.end());
    part.summary = routing ? "haproxy routing" : "haproxy not routing";
    return part;
  }

  std::string StatusLine(const ServiceCheck& c) const override {
    if (!c.answered) return fmt::format("haproxy {}: no answer ({})", c.host, c.error);
    std::string out;
    for (const auto& b : c.backends)
      out += fmt::format("{}{}:{} {}", out.empty() ? "" : ", ", b.backend, b.server, b.status);
    return fmt::format("haproxy {}: {}", c.host, out);
  }
};

std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::istringstream ls(line);
  while (std::getline(ls, cell, ',')) cells.push_back(cell);
  return cells;
}

}  // namespace

const Service* HaproxyService() {
  static const Haproxy kHaproxy;
  return &kHaproxy;
}

Result<std::vector<HaproxyServer>> ParseHaproxyCsv(const std::string& body) {
  std::istringstream in(body);
  std::string header;
  if (!std::getline(in, header) || header.rfind("# ", 0) != 0) return Failed("HAProxy stats CSV has no header line");
  auto names = SplitCsv(header.substr(2));
  int px = -1, sv = -1, st = -1;
  for (int i = 0; i < static_cast<int>(names.size()); ++i) {
    if (names[i] == "pxname") px = i;
    if (names[i] == "svname") sv = i;
    if (names[i] == "status") st = i;
  }
  if (px < 0 || sv < 0 || st < 0) return Failed("HAProxy stats CSV lacks pxname, svname or status");
  std::vector<HaproxyServer> out;
  std::string line;
  while (std::getline(in, line)) {
    auto cells = SplitCsv(line);
    if (static_cast<int>(cells.size()) <= std::max({px, sv, st})) continue;
    if (cells[sv] == "FRONTEND" || cells[sv] == "BACKEND") continue;
    out.push_back({cells[px], cells[sv], cells[st]});
  }
  return out;
}

}  // namespace pgha
