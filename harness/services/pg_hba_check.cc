#include "services/pg_hba_check.h"

#include <fmt/format.h>

#include <optional>
#include <sstream>

#include "core/cidr.h"
#include "core/text.h"

namespace pgha {
namespace {

// One connection the harness or Patroni makes.
struct Access {
  std::string user;
  std::string database;  // "replication" for a replication connection
  std::string What() const {
    return database == "replication" ? "user " + user + " for replication"
                                     : "user " + user + " to database " + database;
  }
};

enum class Match { kNo, kYes, kUnknown };

Match Combine(bool matched) { return matched ? Match::kYes : Match::kNo; }

Match DatabaseMatches(const std::string& field, const Access& a) {
  for (const auto& d : Split(field, ',')) {
    if (d.empty() || d[0] == '@') return Match::kUnknown;
    if (a.database == "replication") {
      if (d == "replication") return Match::kYes;
      continue;  // "all" does not match replication connections
    }
    if (d == "all" || d == a.database || (d == "sameuser" && a.database == a.user)) return Match::kYes;
    if (d == "samerole" || d == "samegroup") return Match::kUnknown;
  }
  return Match::kNo;
}

Match UserMatches(const std::string& field, const Access& a) {
  for (const auto& u : Split(field, ',')) {
    if (u.empty() || u[0] == '+' || u[0] == '@' || u[0] == '/') return Match::kUnknown;
    if (u == "all" || u == a.user) return Match::kYes;
  }
  return Match::kNo;
}

// `address` and the line's address fields from `at` (CIDR, address and mask, all, samenet).
Match AddressMatches(const std::vector<std::string>& f, size_t at, uint32_t address, size_t* method_at) {
  *method_at = at + 1;
  const std::string& a = f[at];
  if (a == "all" || a == "samenet") return Match::kYes;  // every client is on the cluster's subnet
  if (a == "samehost") return Match::kNo;
  const size_t slash = a.find('/');
  auto ip = ParseIpv4(a.substr(0, slash));
  if (!ip.ok()) return Match::kUnknown;  // a host name, IPv6
  uint32_t mask = 0;
  if (slash != std::string::npos) {
    auto bits = ParseInt(a.substr(slash + 1));
    if (!bits || *bits < 0 || *bits > 32) return Match::kUnknown;
    mask = *bits == 0 ? 0 : ~uint32_t{0} << (32 - *bits);
  } else {
    if (at + 1 >= f.size()) return Match::kUnknown;
    auto m = ParseIpv4(f[at + 1]);
    if (!m.ok()) return Match::kUnknown;
    mask = *m;
    *method_at = at + 2;
  }
  return Combine((address & mask) == (*ip & mask));
}

// Whether line `f` (split into fields) decides `a` from `address`: its
// verdict (true: let in), or nullopt when the line does not match.
// kUnknown lines throw the whole judgement away (returned as `unknown`).
std::optional<bool> Decide(const std::vector<std::string>& f, const Access& a, uint32_t address, bool ssl,
                           bool* unknown) {
  if (!f.empty() && (f[0] == "include" || f[0] == "include_if_exists" || f[0] == "include_dir")) {
    *unknown = true;
    return std::nullopt;
  }
  // The harness connects over TCP, with TLS when `ssl`; never by GSSAPI.
  const bool tcp = !f.empty() && (f[0] == "host" || (f[0] == "hostssl" && ssl) || (f[0] == "hostnossl" && !ssl));
  if (!tcp || f.size() < 5) return std::nullopt;
  size_t method_at = 0;
  const Match parts[] = {DatabaseMatches(f[1], a), UserMatches(f[2], a), AddressMatches(f, 3, address, &method_at)};
  for (Match m : parts)
    if (m == Match::kNo) return std::nullopt;
  for (Match m : parts) *unknown = *unknown || m == Match::kUnknown;
  if (*unknown || method_at >= f.size()) {
    *unknown = true;
    return std::nullopt;
  }
  const std::string& method = f[method_at];
  return method == "trust" || method == "password" || method == "md5" || method == "scram-sha-256";
}

std::vector<std::string> Fields(const std::string& line) {
  std::vector<std::string> f;
  std::istringstream in(line.substr(0, line.find('#')));
  for (std::string w; in >> w;) f.push_back(w);
  return f;
}

}  // namespace

std::string HbaLocksOut(const YAML::Node& pg_hba, const std::vector<std::string>& from, bool ssl) {
  if (!pg_hba || !pg_hba.IsSequence()) return "";
  const Access accesses[] = {{"postgres", "postgres"}, {"replicator", "replication"}, {"rewinder", "postgres"}};
  for (const auto& a : accesses)
    for (const auto& client : from) {
      auto address = ParseIpv4(client);
      if (!address.ok()) continue;
      std::optional<bool> verdict;
      std::string line_text;
      for (const auto& item : pg_hba) {
        if (!item.IsScalar()) return "";
        bool unknown = false;
        verdict = Decide(Fields(item.Scalar()), a, *address, ssl, &unknown);
        if (unknown) return "";
        if (verdict) {
          line_text = item.Scalar();
          break;
        }
      }
      if (!verdict) return fmt::format("{} from {}: no line lets it in", a.What(), client);
      if (!*verdict) return fmt::format("{} from {}: \"{}\" refuses it", a.What(), client, Shorten(line_text));
    }
  return "";
}

}  // namespace pgha
