// Fakes for every side-effect interface (after ninja's FakeCommandRunner):
// they record what the code under test asked for and answer from tables the
// test fills in. Single-threaded use only.
#pragma once

#include <signal.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/process.h"
#include "observe/http_client.h"
#include "workload/sql_client.h"

namespace pgha::testing {

class FakeClock : public Clock {
 public:
  TimePoint Now() const override { return now_; }
  std::chrono::system_clock::time_point WallNow() const override { return std::chrono::system_clock::time_point{} + (now_ - TimePoint{}); }
  void SleepFor(Duration d) override {
    now_ += d;
    slept_ += d;
  }
  void Advance(Duration d) { now_ += d; }
  Duration slept() const { return slept_; }

 private:
  TimePoint now_{};
  Duration slept_{};
};

class FakeProcessTable : public ProcessTable {
 public:
  std::optional<ProcStat> Stat(int pid) override {
    auto it = procs_.find(pid);
    if (it == procs_.end()) return std::nullopt;
    return it->second;
  }
  bool Signal(int pid, int sig) override {
    signals.push_back({pid, sig});
    auto it = procs_.find(pid);
    if (it == procs_.end()) return false;
    if (sig == SIGKILL && !immortal.count(pid)) Remove(pid);
    return true;
  }
  std::vector<int> PidsInNetns(const std::string& ns) override {
    std::vector<int> out;
    for (const auto& [pid, n] : netns_of_)
      if (n == ns && procs_.count(pid)) out.push_back(pid);
    return out;
  }
  void Reap(int) override {}

  void Add(int pid, uint64_t start_time, const std::string& netns = "", int ppid = 1) {
    procs_[pid] = ProcStat{'S', ppid, start_time};
    if (!netns.empty()) netns_of_[pid] = netns;
  }
  void Remove(int pid) {
    procs_.erase(pid);
    netns_of_.erase(pid);
  }
  bool Alive(int pid) const { return procs_.count(pid) > 0; }
  size_t Count() const { return procs_.size(); }

  std::vector<std::pair<int, int>> signals;
  std::set<int> immortal;  // pids that ignore SIGKILL (a stuck process)

 private:
  std::map<int, ProcStat> procs_;
  std::map<int, std::string> netns_of_;
};

class FakeProcessRunner : public ProcessRunner {
 public:
  explicit FakeProcessRunner(FakeProcessTable* table) : table_(table) {}

  Result<CommandResult> Run(const CommandSpec& spec) override {
    std::string line = Join(spec.argv);
    if (!spec.netns.empty()) line = "[" + spec.netns + "] " + line;
    commands.push_back(line);
    if (on_run) on_run(line);
    for (const auto& [prefix, result] : scripted)
      if (line.rfind(prefix, 0) == 0) return result;
    CommandResult ok;
    ok.exit_code = 0;
    return ok;
  }

  Result<int> Spawn(const DaemonSpec& spec) override {
    spawned.push_back(spec);
    if (fail_spawn_of == spec.argv[0]) return Failed("cannot start " + spec.argv[0]);
    int pid = next_pid_++;
    table_->Add(pid, 1000 + pid, spec.netns);
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
  std::function<void(const std::string&)> on_run;

 private:
  FakeProcessTable* table_;
  int next_pid_ = 4000;
};

class FakeHttpClient : public HttpClient {
 public:
  Result<HttpResponse> Request(const std::string& method, const std::string& host, int port, const std::string& path,
                               const std::string&, Duration) override {
    const std::string key = method + " " + host + ":" + std::to_string(port) + path;
    requests.push_back(key);
    auto it = responses.find(key);
    if (it == responses.end()) return Unavailable("connection refused: " + key);
    return it->second;
  }
  void Answer(const std::string& host, int port, const std::string& path, int status, const std::string& body,
              const std::string& method = "GET") {
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
    const std::string endpoint = t.host + ":" + std::to_string(t.port);
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

 private:
  class Session : public SqlSession {
   public:
    Session(FakeSqlClient* owner, std::string endpoint) : owner_(owner), endpoint_(std::move(endpoint)) {}
    SqlOutcome Exec(const std::string& sql, Duration) override {
      owner_->statements.push_back(endpoint_ + " " + sql);
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
