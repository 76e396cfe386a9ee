#include "client/sql_client.h"

#include <libpq-fe.h>
#include <poll.h>

#include <fmt/format.h>

#include <vector>

namespace pgha {

std::optional<std::string> SqlRows::Cell(size_t row, const std::string& column) const {
  if (row >= rows.size()) return std::nullopt;
  for (size_t c = 0; c < columns.size(); ++c)
    if (columns[c] == column) return c < rows[row].size() ? rows[row][c] : std::nullopt;
  return std::nullopt;
}

std::string PgTarget::Where() const {
  return ports.empty() ? fmt::format("{}:{}", host, port) : fmt::format("{}:{}", host, ports);
}

std::string PgTarget::ConnInfo() const {
  std::string out = fmt::format("host={} port={} user={} dbname={}", host, ports.empty() ? std::to_string(port) : ports,
                                user, dbname);
  if (!target_session_attrs.empty()) out += " target_session_attrs=" + target_session_attrs;
  if (sslmode != "disable") out += " sslmode=" + sslmode;
  if (!sslrootcert.empty()) out += " sslrootcert=" + sslrootcert;
  return out;
}

SqlOutcome SqlClient::QueryOnce(const PgTarget& target, const std::string& sql, Duration timeout) {
  auto start = std::chrono::steady_clock::now();
  auto session = Connect(target, timeout);
  if (!session.ok()) return SqlOutcome::Of(session.status());
  auto spent = std::chrono::steady_clock::now() - start;
  Duration left = timeout - std::chrono::duration_cast<Duration>(spent);
  if (left < std::chrono::milliseconds(50)) left = std::chrono::milliseconds(50);
  return (*session)->Exec(sql, left);
}

namespace {

// Waits until the socket is readable/writable or the deadline passes.
bool WaitSocket(int fd, bool for_write, std::chrono::steady_clock::time_point deadline) {
  auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
  if (left <= 0) return false;
  pollfd p{fd, static_cast<short>(for_write ? POLLOUT : POLLIN), 0};
  int r = poll(&p, 1, static_cast<int>(left));
  return r > 0;
}

class LibpqSession : public SqlSession {
 public:
  explicit LibpqSession(PGconn* conn) : conn_(conn) {}
  ~LibpqSession() override { PQfinish(conn_); }
  bool Broken() const override { return broken_ || PQstatus(conn_) != CONNECTION_OK; }

  SqlOutcome Exec(const std::string& sql, Duration timeout) override {
    SqlOutcome out;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    if (Broken()) {
      out.status = Unavailable("the connection is broken");
      return out;
    }
    if (!PQsendQuery(conn_, sql.c_str())) {
      broken_ = true;
      out.status = Unavailable(fmt::format("cannot send the query: {}", Trim(PQerrorMessage(conn_))));
      return out;
    }
    // Once sent, a lost connection or a timeout leaves the outcome unknown.
    while (PQflush(conn_) == 1) {
      if (!WaitSocket(PQsocket(conn_), true, deadline)) return Lost(&out, "timed out sending the query");
    }
    PGresult* last_error = nullptr;
    bool have_rows = false;
    for (;;) {
      while (PQisBusy(conn_)) {
        if (!WaitSocket(PQsocket(conn_), false, deadline)) {
          if (last_error) PQclear(last_error);
          return Lost(&out, "timed out waiting for the answer");
        }
        if (!PQconsumeInput(conn_)) {
          if (last_error) PQclear(last_error);
          return Lost(&out, Trim(PQerrorMessage(conn_)));
        }
      }
      PGresult* res = PQgetResult(conn_);
      if (res == nullptr) break;
      const auto st = PQresultStatus(res);
      if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
        if (st == PGRES_TUPLES_OK && !have_rows) {
          have_rows = true;
          for (int c = 0; c < PQnfields(res); ++c) out.rows.columns.push_back(PQfname(res, c));
          for (int r = 0; r < PQntuples(res); ++r) {
            std::vector<std::optional<std::string>> row;
            for (int c = 0; c < PQnfields(res); ++c)
              row.push_back(PQgetisnull(res, r, c) ? std::nullopt : std::optional<std::string>(PQgetvalue(res, r, c)));
            out.rows.rows.push_back(std::move(row));
          }
        }
        PQclear(res);
      } else {
        if (last_error) PQclear(last_error);
        last_error = res;
      }
    }
    if (PQstatus(conn_) != CONNECTION_OK) {
      if (last_error) PQclear(last_error);
      return Lost(&out, Trim(PQerrorMessage(conn_)));
    }
    if (last_error) {
      const char* state = PQresultErrorField(last_error, PG_DIAG_SQLSTATE);
      out.sqlstate = state ? state : "";
      out.status = Failed(Trim(PQresultErrorMessage(last_error)));
      PQclear(last_error);
      // 57P01 admin shutdown, 08xxx connection errors: the server went away mid-statement.
      if (out.sqlstate == "57P01" || out.sqlstate.rfind("08", 0) == 0) {
        broken_ = true;
        out.indeterminate = true;
      }
    }
    return out;
  }

 private:
  static std::string Trim(const char* s) {
    std::string t = s ? s : "";
    while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.pop_back();
    return t;
  }
  SqlOutcome& Lost(SqlOutcome* out, const std::string& why) {
    broken_ = true;
    out->indeterminate = true;
    out->status = why.find("timed out") != std::string::npos ? Timeout(why) : Unavailable(why);
    return *out;
  }

  PGconn* conn_;
  bool broken_ = false;
};

}  // namespace

std::vector<PgTarget> HostAttempts(const PgTarget& t) {
  if (t.ports.empty() && t.host.find(',') == std::string::npos) return {t};
  auto split = [](const std::string& s) {
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t comma; (comma = s.find(',', start)) != std::string::npos; start = comma + 1)
      out.push_back(s.substr(start, comma - start));
    out.push_back(s.substr(start));
    return out;
  };
  const auto hosts = split(t.host);
  const auto ports = t.ports.empty() ? std::vector<std::string>{} : split(t.ports);
  std::vector<std::string> passes = {t.target_session_attrs};
  if (t.target_session_attrs == "prefer-standby") passes = {"standby", "any"};
  std::vector<PgTarget> out;
  for (const auto& attrs : passes)
    for (size_t i = 0; i < hosts.size(); ++i) {
      PgTarget one = t;
      one.host = hosts[i];
      one.ports.clear();
      const std::string port = ports.empty() ? std::to_string(t.port) : ports[std::min(i, ports.size() - 1)];
      one.port = std::atoi(port.c_str());
      one.target_session_attrs = attrs;
      out.push_back(one);
    }
  return out;
}

Result<std::unique_ptr<SqlSession>> LibpqClient::Connect(const PgTarget& t, Duration timeout) {
  const auto attempts = HostAttempts(t);
  if (attempts.size() == 1) return ConnectOne(attempts[0], timeout);
  std::string errors;
  Status last;
  for (const auto& one : attempts) {
    auto s = ConnectOne(one, timeout);
    if (s.ok()) return s;
    last = s.status();
    errors += (errors.empty() ? "" : "; ") + s.status().message();
  }
  return Status::Error(last.code(), "no host of " + t.Where() + " would do: " + errors);
}

Result<std::unique_ptr<SqlSession>> LibpqClient::ConnectOne(const PgTarget& t, Duration timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const std::string port = t.ports.empty() ? std::to_string(t.port) : t.ports;
  std::vector<const char*> keys = {"host",    "port",      "user", "password", "dbname", "application_name",
                                   "sslmode", "gssencmode"};
  std::vector<const char*> values = {t.host.c_str(),     port.c_str(),     t.user.c_str(),
                                     t.password.c_str(), t.dbname.c_str(), t.application_name.c_str(),
                                     t.sslmode.c_str(),  "disable"};
  if (!t.sslrootcert.empty()) {
    keys.push_back("sslrootcert");
    values.push_back(t.sslrootcert.c_str());
  }
  if (!t.target_session_attrs.empty()) {
    keys.push_back("target_session_attrs");
    values.push_back(t.target_session_attrs.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn = PQconnectStartParams(keys.data(), values.data(), 0);
  if (conn == nullptr) return Unavailable("out of memory starting a connection");
  const std::string where = t.Where();
  if (PQstatus(conn) == CONNECTION_BAD) {
    std::string e = PQerrorMessage(conn);
    PQfinish(conn);
    return Unavailable(fmt::format("cannot connect to {}: {}", where, e));
  }
  PostgresPollingStatusType poll_status = PGRES_POLLING_WRITING;
  while (poll_status != PGRES_POLLING_OK) {
    if (poll_status == PGRES_POLLING_FAILED) {
      std::string e = PQerrorMessage(conn);
      while (!e.empty() && e.back() == '\n') e.pop_back();
      PQfinish(conn);
      return Unavailable(fmt::format("cannot connect to {}: {}", where, e));
    }
    if (!WaitSocket(PQsocket(conn), poll_status == PGRES_POLLING_WRITING, deadline)) {
      PQfinish(conn);
      return Timeout(fmt::format("connecting to {} timed out", where));
    }
    poll_status = PQconnectPoll(conn);
  }
  // Server notices ("terminating connection due to immediate shutdown")
  // are expected in a chaos run; libpq would print them on our stderr.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<SqlSession>(new LibpqSession(conn));
}

}  // namespace pgha
