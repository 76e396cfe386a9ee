// SqlClient: PostgreSQL over libpq, with every connect and query under a
// deadline (non-blocking libpq and poll), because a frozen server must
// cost the harness a timeout, never a hang.
//
// Outcomes are values: Unavailable when no connection could be made,
// Failed with the SQLSTATE when the server answered with an error, Timeout
// when the deadline passed, and Indeterminate when the connection broke
// after the statement was sent (the statement may or may not have taken
// effect: Jepsen's "info").
// Thread-safety: one SqlSession per thread; LibpqClient itself is
// stateless.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace pgha {

struct PgTarget {
  std::string host;   // one address, or a libpq list "10.77.0.10,10.77.0.11" (then `ports` too)
  int port = 5432;    // with one host
  std::string ports;  // with a host list: "5432,5432"; overrides `port`
  std::string user = "postgres";
  std::string password;
  std::string dbname = "postgres";
  std::string application_name = "pgha-chaos";
  std::string target_session_attrs;  // "" any; "read-write", "prefer-standby" with a host list
  std::string sslmode = "disable";   // libpq's sslmode; "verify-full" with sslrootcert for TLS
  std::string sslrootcert;           // the CA certificate file
  std::string Where() const;         // "10.77.0.13:5000" or "10.77.0.10,10.77.0.11:5432,5432"
  // A libpq connection string without the password ("host=... port=... user=... dbname=... sslmode=...").
  std::string ConnInfo() const;
};

struct SqlRows {
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;
  // The first row's cell in `column`, or nullopt.
  std::optional<std::string> Cell(size_t row, const std::string& column) const;
};

struct SqlOutcome {
  Status status;               // ok, or why not
  bool indeterminate = false;  // sent, then the connection broke or timed out
  std::string sqlstate;        // set when the server reported an error
  SqlRows rows;

  static SqlOutcome Of(Status status) {
    SqlOutcome o;
    o.status = std::move(status);
    return o;
  }
};

class SqlSession {
 public:
  virtual ~SqlSession() = default;
  virtual SqlOutcome Exec(const std::string& sql, Duration timeout) = 0;
  virtual bool Broken() const = 0;
};

class SqlClient {
 public:
  virtual ~SqlClient() = default;
  virtual Result<std::unique_ptr<SqlSession>> Connect(const PgTarget& target, Duration timeout) = 0;
  // Connects, runs one statement, disconnects; the timeout covers both.
  SqlOutcome QueryOnce(const PgTarget& target, const std::string& sql, Duration timeout);
};

// With a host list the hosts are tried in order, each under its own
// `timeout`, and target_session_attrs decides which one is kept (for
// prefer-standby: the standbys first, then any): what a client with libpq's
// per-host connect_timeout sees. (libpq's non-blocking connect, which keeps
// a frozen or cut-off server from hanging the harness, does not enforce
// connect_timeout itself: one overall deadline would never get past a
// silent first host.)
class LibpqClient : public SqlClient {
 public:
  Result<std::unique_ptr<SqlSession>> Connect(const PgTarget& target, Duration timeout) override;

 private:
  Result<std::unique_ptr<SqlSession>> ConnectOne(const PgTarget& target, Duration timeout);
};

// The single-host targets a host list stands for, in the order a client
// tries them (pure; one element for a single host).
std::vector<PgTarget> HostAttempts(const PgTarget& target);

}  // namespace pgha
