#include "services/template_check.h"

#include <fmt/format.h>

#include <regex>
#include <sstream>

namespace pgha {
namespace {

struct Rule {
  std::regex line;  // group 1: the value that must come from a variable
  std::string fix;
};

const std::vector<Rule>& RulesFor(const std::string& kind) {
  static const std::vector<Rule> kHaproxy = {
      {std::regex(R"(^\s*bind\s+(\S+))"), "bind {{bind_address}}:{{primary_port}} (or {{address}}:{{stats_port}})"},
      {std::regex(R"(^\s*server\s+\S+\s+(\S+))"),
       "server {{name}} {{address}}:{{postgres_port}} ... check port {{patroni_port}} inside {{#patroni_nodes}}"},
  };
  static const std::vector<Rule> kPgbouncer = {
      {std::regex(R"(^\s*listen_addr\s*=\s*(\S+))"), "listen_addr = {{bind_address}}"},
      {std::regex(R"(^\s*listen_port\s*=\s*(\S+))"), "listen_port = {{pgbouncer_port}}"},
      {std::regex(R"(^\s*auth_file\s*=\s*(\S+))"), "auth_file = {{node_dir}}/pgbouncer.users"},
      {std::regex(R"(^\s*unix_socket_dir\s*=\s*(\S+))"), "unix_socket_dir = {{node_dir}}"},
      {std::regex(R"(^\s*(?:logfile|pidfile)\s*=\s*(\S+))"), "leave it out: the harness collects PgBouncer's output"},
      {std::regex(R"(^\s*\S+\s*=.*\bhost=(\S+))"), "host={{backend_host}} port={{backend_port}}"},
  };
  static const std::vector<Rule> kKeepalived = {
      {std::regex(R"(^\s*interface\s+(\S+))"), "interface {{interface}}"},
      {std::regex(R"(^\s*(\d+\.\d+\.\d+\.\d+\S*))"), "{{vip}}/{{prefix}} dev {{interface}}"},
      {std::regex(R"(^\s*unicast_(?:src_ip|peer)\s+(\S+))"),
       "leave unicast out: VRRP multicast works on the run's bridge"},
  };
  static const std::vector<Rule> kNone;
  if (kind == "haproxy") return kHaproxy;
  if (kind == "pgbouncer") return kPgbouncer;
  if (kind == "keepalived") return kKeepalived;
  return kNone;
}

}  // namespace

void CheckTemplateOwnership(const std::string& kind, const std::string& text, const std::string& file,
                            Diagnostics* diags) {
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const auto hash = line.find_first_of("#;");
    const std::string code = hash == std::string::npos ? line : line.substr(0, hash);
    for (const auto& rule : RulesFor(kind)) {
      std::smatch m;
      if (!std::regex_search(code, m, rule.line) || m[1].str().find("{{") != std::string::npos) continue;
      YAML::Mark mark;
      mark.line = number - 1;
      mark.column = static_cast<int>(m.position(1));
      diags->Error(file, mark,
                   fmt::format("\"{}\" is set by pgha-chaos (addresses, ports and per-host files are the run's): write "
                               "{}",
                               m[1].str(), rule.fix));
    }
  }
}

}  // namespace pgha
