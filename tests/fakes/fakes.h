// Fakes for the side-effect interfaces below the provider seam (after
// ninja's FakeCommandRunner): clock, processes, HTTP and SQL. They record
// what the code under test asked for and answer from tables the test fills
// in. Each call locks the fake's mutex, so the runner's threads (workload,
// observer) may share them; tests read the recorded vectors only once those
// threads have stopped. The provider fake is fake_provider.h; the netns
// provider's own fake namespace table is fake_netns.h.
#pragma once

#include <signal.h>

#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "client/http_client.h"
#include "client/sql_client.h"
#include "core/clock.h"
#include "core/process.h"

namespace pgha::testing {

class FakeClock : public Clock {
 public:
  TimePoint Now() const override {
    std::lock_guard<std::mutex> l(mu_);
    return now_;
  }
  std::chrono::system_clock::time_point WallNow() const override {
    std::lock_guard<std::mutex> l(mu_);
    return std::chrono::system_clock::time_point{} +
           std::chrono::duration_cast<std::chrono::system_clock::duration>(now_ - TimePoint{});
  }
  // With a driver set, only the driver's sleeps move time (and yield a
  // millisecond of real time so other threads run); other threads' sleeps
  // yield without moving it, so they follow the driver's time instead of
  // racing it. Without a driver every sleep moves time (single-threaded tests).
  void SleepFor(Duration d) override {
    {
      std::lock_guard<std::mutex> l(mu_);
      if (driver_ != std::thread::id() && std::this_thread::get_id() != driver_) {
        // fall through to a real yield below
      } else {
        now_ += d;
        slept_ += d;
        if (driver_ == std::thread::id()) return;
      }
    }
    std::this_thread::sleep_for(std::chrono::microseconds(std::this_thread::get_id() == driver_ ? 150 : 50));
  }
  void DriveFrom(std::thread::id driver) {
    std::lock_guard<std::mutex> l(mu_);
    driver_ = driver;
  }
  void Advance(Duration d) {
    std::lock_guard<std::mutex> l(mu_);
    now_ += d;
  }
  Duration slept() const {
    std::lock_guard<std::mutex> l(mu_);
    return slept_;
  }

 private:
  mutable std::mutex mu_;
  std::thread::id driver_{};
  TimePoint now_{};
  Duration slept_{};
};

class FakeProcessTable : public ProcessTable {
 public:
  std::optional<ProcStat> Stat(int pid) override {
    std::lock_guard<std::recursive_mutex> l(mu_);
    auto it = procs_.find(pid);
    if (it == procs_.end()) return std::nullopt;
    return it->second;
  }
  bool Signal(int pid, int sig) override {
    std::lock_guard<std::recursive_mutex> l(mu_);
    signals.push_back({pid, sig});
    auto it = procs_.find(pid);
    if (it == procs_.end()) return false;
    if (sig == SIGKILL && !immortal.count(pid)) Remove(pid);
    return true;
  }
  void Reap(int) override {}

  // Pids living in `scope` (a namespace, for the netns provider's fake table).
  std::vector<int> PidsIn(const std::string& scope) const {
    std::lock_guard<std::recursive_mutex> l(mu_);
    std::vector<int> out;
    for (const auto& [pid, s] : scope_of_)
      if (s == scope && procs_.count(pid)) out.push_back(pid);
    return out;
  }
  void Add(int pid, uint64_t start_time, const std::string& scope = "", int ppid = 1) {
    std::lock_guard<std::recursive_mutex> l(mu_);
    procs_[pid] = ProcStat{'S', ppid, start_time};
    if (!scope.empty()) scope_of_[pid] = scope;
  }
  void Remove(int pid) {
    std::lock_guard<std::recursive_mutex> l(mu_);
    procs_.erase(pid);
    scope_of_.erase(pid);
  }
  bool Alive(int pid) const {
    std::lock_guard<std::recursive_mutex> l(mu_);
    return procs_.count(pid) > 0;
  }
  size_t Count() const {
    std::lock_guard<std::recursive_mutex> l(mu_);
    return procs_.size();
  }

  std::vector<std::pair<int, int>> signals;
  std::set<int> immortal;  // pids that ignore SIGKILL (a stuck process)

 private:
  mutable std::recursive_mutex mu_;
  std::map<int, ProcStat> procs_;
  std::map<int, std::string> scope_of_;
};

class FakeProcessRunner : public ProcessRunner {
 public:
  explicit FakeProcessRunner(FakeProcessTable* table) : table_(table) {}

  Result<CommandResult> Run(const CommandSpec& spec) override {
    std::lock_guard<std::recursive_mutex> l(mu_);
    const std::string line = Join(spec.argv);
    commands.push_back(line);
    if (on_run) on_run(line);
    for (const auto& [prefix, result] : scripted)
      if (line.rfind(prefix, 0) == 0) return result;
    CommandResult ok;
    ok.exit_code = 0;
    return ok;
  }

  Result<int> Spawn(const DaemonSpec& spec) override {
    std::lock_guard<std::recursive_mutex> l(mu_);
    spawned.push_back(spec);
    for (const auto& a : spec.argv)
      if (!fail_spawn_of.empty() && a == fail_spawn_of) return Failed("cannot start " + a);
    int pid = next_pid_++;
    // A daemon started through nsenter lives in that namespace.
    std::string scope;
    const std::string prefix = "--net=/run/netns/";
    if (spec.argv.size() > 1 && spec.argv[1].rfind(prefix, 0) == 0 && !spawn_before_setns)
      scope = spec.argv[1].substr(prefix.size());
    table_->Add(pid, 1000 + pid, scope);
    return pid;
  }

  static std::string Join(const std::vector<std::string>& argv) {
    std::string s;
    for (const auto& a : argv) s += (s.empty() ? "" : " ") + a;
    return s;
  }

  std::vector<std::string> commands;
  std::vector<DaemonSpec> spawned;
  std::vector<std::pair<std::string, CommandResult>> scripted;  // command prefix -> result
  std::string fail_spawn_of;
  bool spawn_before_setns = false;  // daemons stay outside their namespace (nsenter has not run yet)
  std::function<void(const std::string&)> on_run;

 private:
  FakeProcessTable* table_;
  int next_pid_ = 4000;
  std::recursive_mutex mu_;
};

class FakeHttpClient : public HttpClient {
 public:
  Result<HttpResponse> Request(const std::string& method, const HttpTarget& target, const std::string& path,
                               const std::string& body, Duration) override {
    const std::string key = method + " " + target.host + ":" + std::to_string(target.port) + path;
    std::lock_guard<std::mutex> l(mu_);
    requests.push_back(key);
    bodies.push_back(body);
    if (target.tls()) tls_requests.push_back(key);
    auto it = responses.find(key);
    if (it == responses.end()) return Unavailable("connection refused: " + key);
    return it->second;
  }
  void Answer(const std::string& host, int port, const std::string& path, int status, const std::string& body,
              const std::string& method = "GET") {
    std::lock_guard<std::mutex> l(mu_);
    responses[method + " " + host + ":" + std::to_string(port) + path] = HttpResponse{status, body};
  }
  // etcd's answers when `leader_id` leads: /health true and the status naming it.
  void AnswerEtcd(const std::string& host, const std::string& leader_id = "42") {
    Answer(host, 2379, "/health", 200, R"({"health":"true"})");
    Answer(host, 2380, "/members", 200, "[]");
    Answer(host, 2379, "/v3/maintenance/status", 200, R"({"version":"3.4.23","leader":")" + leader_id + "\"}", "POST");
  }
  std::map<std::string, HttpResponse> responses;
  std::vector<std::string> requests;
  std::vector<std::string> bodies;        // each request's body, in the same order
  std::vector<std::string> tls_requests;  // the requests made over HTTPS

 private:
  std::mutex mu_;
};

// Answers by "host:port" and a substring of the SQL.
class FakeSqlClient : public SqlClient {
 public:
  struct Rule {
    std::string endpoint;
    std::string sql_contains;
    SqlOutcome outcome;
  };
  Result<std::unique_ptr<SqlSession>> Connect(const PgTarget& t, Duration) override {
    const std::string endpoint = t.Where();
    std::lock_guard<std::mutex> l(mu_);
    connects.push_back(endpoint);
    if (refuse.count(endpoint)) return Unavailable("connection refused: " + endpoint);
    return std::unique_ptr<SqlSession>(new Session(this, endpoint));
  }
  void On(const std::string& endpoint, const std::string& sql_contains, SqlRows rows) {
    SqlOutcome o;
    o.rows = std::move(rows);
    rules.push_back({endpoint, sql_contains, o});
  }
  std::vector<Rule> rules;
  std::set<std::string> refuse;
  std::vector<std::string> connects;
  std::vector<std::string> statements;
  bool ledger = false;  // remember ledger inserts and answer the final read-back with them
  std::set<int64_t> ledger_keys;
  std::set<int64_t> lose;  // keys the final read-back leaves out (a planted loss)

 private:
  std::mutex mu_;
  class Session : public SqlSession {
   public:
    Session(FakeSqlClient* owner, std::string endpoint) : owner_(owner), endpoint_(std::move(endpoint)) {}
    SqlOutcome Exec(const std::string& sql, Duration) override {
      std::lock_guard<std::mutex> l(owner_->mu_);
      owner_->statements.push_back(endpoint_ + " " + sql);
      if (owner_->ledger) {
        const std::string insert = "INSERT INTO pgha_ledger(key, writer) VALUES (";
        if (sql.rfind(insert, 0) == 0) {
          owner_->ledger_keys.insert(std::stoll(sql.substr(insert.size())));
          return SqlOutcome();
        }
        if (sql == "SELECT key FROM pgha_ledger") {
          SqlOutcome o;
          o.rows.columns = {"key"};
          for (int64_t k : owner_->ledger_keys)
            if (!owner_->lose.count(k)) o.rows.rows.push_back({std::to_string(k)});
          return o;
        }
      }
      for (const auto& r : owner_->rules)
        if (r.endpoint == endpoint_ && sql.find(r.sql_contains) != std::string::npos) return r.outcome;
      return SqlOutcome::Of(Failed("no fake answer for " + endpoint_ + ": " + sql));
    }
    bool Broken() const override { return false; }

   private:
    FakeSqlClient* owner_;
    std::string endpoint_;
  };
};

inline SqlRows Rows(std::vector<std::string> columns, std::vector<std::vector<std::string>> values) {
  SqlRows r;
  r.columns = std::move(columns);
  for (auto& row : values) {
    std::vector<std::optional<std::string>> cells(row.begin(), row.end());
    r.rows.push_back(cells);
  }
  return r;
}

}  // namespace pgha::testing
