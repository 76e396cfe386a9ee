// The list-append clients (workload/list_append.h) against an in-memory
// database that runs one transaction at a time (a global lock from BEGIN
// to COMMIT, so strictly serializable) and answers the clients' SQL:
// the recorded history is judged valid, a COMMIT whose answer is lost is
// indeterminate (and its process renumbered), an error before COMMIT a
// failure with the server's reason, a refused connection a failure; and
// the planner's keys retire after max_writes_per_key appends. Threaded: in
// THREAD_TEST_SOURCES (tests/CMakeLists.txt), so ThreadSanitizer runs it.
#include <gtest/gtest.h>

#include <cinttypes>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "elle/elle_json.h"
#include "elle/list_append_check.h"
#include "workload/list_append.h"
#include "workload/workload.h"

namespace pgha {
namespace {

class SerialListDb : public SqlClient {
 public:
  Result<std::unique_ptr<SqlSession>> Connect(const PgTarget& t, Duration) override {
    if (t.host == "refused") return Unavailable("connection refused");
    return std::unique_ptr<SqlSession>(new Session(this));
  }
  int lose_every_nth_commit_answer = 0;  // applied, then the answer lost (indeterminate)
  int fail_every_nth_append = 0;         // the server refuses the statement

 private:
  std::mutex txn_mu_;  // held from BEGIN to COMMIT or ROLLBACK: one transaction at a time
  std::mutex counts_mu_;
  std::map<int64_t, std::vector<int64_t>> lists_;
  int commits_ = 0, appends_ = 0;

  class Session : public SqlSession {
   public:
    explicit Session(SerialListDb* db) : db_(db) {}
    ~Session() override {
      if (open_) db_->txn_mu_.unlock();
    }
    bool Broken() const override { return broken_; }
    SqlOutcome Exec(const std::string& sql, Duration) override {
      if (sql.rfind("BEGIN", 0) == 0) {
        db_->txn_mu_.lock();
        open_ = true;
        view_ = db_->lists_;
        return SqlOutcome();
      }
      if (sql == "ROLLBACK") return End(false);
      if (sql == "COMMIT") return Commit();
      int64_t k = 0, e = 0;
      if (std::sscanf(sql.c_str(), "INSERT INTO pgha_lists AS l (k, v) VALUES (%" SCNd64 ", ARRAY[%" SCNd64, &k, &e) ==
          2) {
        std::lock_guard<std::mutex> l(db_->counts_mu_);
        if (db_->fail_every_nth_append && ++db_->appends_ % db_->fail_every_nth_append == 0) {
          SqlOutcome o = SqlOutcome::Of(Failed("ERROR:  could not serialize access"));
          o.sqlstate = "40001";
          return o;
        }
        view_[k].push_back(e);
        return SqlOutcome();
      }
      if (std::sscanf(sql.c_str(), "SELECT v::text AS v FROM pgha_lists WHERE k = %" SCNd64, &k) == 1) {
        SqlOutcome o;
        o.rows.columns = {"v"};
        if (view_.count(k)) {
          std::string text = "{";
          for (size_t i = 0; i < view_[k].size(); ++i) text += (i ? "," : "") + std::to_string(view_[k][i]);
          o.rows.rows.push_back({text + "}"});
        }
        return o;
      }
      return SqlOutcome();  // SELECT host(...): no address
    }

   private:
    SqlOutcome Commit() {
      bool lose = false;
      {
        std::lock_guard<std::mutex> l(db_->counts_mu_);
        lose = db_->lose_every_nth_commit_answer && ++db_->commits_ % db_->lose_every_nth_commit_answer == 0;
      }
      SqlOutcome o = End(true);
      if (!lose) return o;
      broken_ = true;
      o = SqlOutcome::Of(Failed("server closed the connection unexpectedly"));
      o.indeterminate = true;
      return o;
    }
    SqlOutcome End(bool apply) {
      if (!open_) return SqlOutcome::Of(Failed("no transaction"));
      if (apply) db_->lists_ = view_;
      open_ = false;
      db_->txn_mu_.unlock();
      return SqlOutcome();
    }
    SerialListDb* db_;
    std::map<int64_t, std::vector<int64_t>> view_;
    bool open_ = false, broken_ = false;
  };
};

ListAppendSpec Spec() {
  ListAppendSpec s;
  s.enabled = true;
  s.keys = 3;
  s.max_writes_per_key = 8;
  s.rate = 400;
  return s;
}

elle::ListAppendHistory RunClients(SerialListDb& db, std::vector<ListAppendTarget> targets) {
  SystemClock clock;
  Recorder rec(clock);
  ListAppendClients clients(db, clock, rec, Spec(), std::chrono::seconds(1), std::move(targets), 7);
  clients.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  clients.Stop();
  EXPECT_TRUE(ReadAllLists(db, PgTarget{}, rec, std::chrono::seconds(1)).ok());
  return rec.Snapshot().txns;
}

TEST(ListAppendClients, ASerialDatabaseGivesAValidHistoryWithEveryOutcome) {
  SerialListDb db;
  db.lose_every_nth_commit_answer = 7;
  db.fail_every_nth_append = 11;
  PgTarget primary, replica;
  replica.host = "replica";
  const auto h = RunClients(db, {{"rw", primary, false}, {"rw", primary, false}, {"ro", replica, true}});
  const elle::CheckResult r = elle::CheckListAppend(h);
  EXPECT_TRUE(r.valid) << elle::CheckResultText(h, r);
  EXPECT_GT(r.ok, 30);
  EXPECT_GT(r.indeterminate, 0);
  EXPECT_GT(r.failed, 0);
  EXPECT_GE(h.final_read_txn, 0);
  std::set<int32_t> processes;
  for (const auto& t : h.txns) processes.insert(t.process);
  EXPECT_GT(*processes.rbegin(), 2) << "a process that saw info goes on as a new one";
  bool reason = false;
  for (const auto& [why, n] : r.failure_reasons) reason |= why.find("40001") != std::string::npos;
  EXPECT_TRUE(reason) << "a failure keeps the server's SQLSTATE";
}

TEST(ListAppendClients, ARefusedConnectionIsAFailureNeverSent) {
  SerialListDb db;
  PgTarget nowhere;
  nowhere.host = "refused";
  const auto h = RunClients(db, {{"rw", nowhere, false}});
  ASSERT_GT(h.txns.size(), 1u);
  for (size_t i = 0; i + 1 < h.txns.size(); ++i) EXPECT_EQ(h.txns[i].outcome, elle::TxnOutcome::kFail);
  ASSERT_FALSE(h.errors.empty());
  EXPECT_NE(h.errors[0].find("connection refused"), std::string::npos);
}

TEST(TxnPlanner, KeysRetireAfterTheirAppendsAndElementsAreUnique) {
  TxnPlanner planner(Spec(), 3);
  std::map<int64_t, int> appends;
  std::set<int64_t> elements;
  for (int i = 0; i < 500; ++i)
    for (const auto& m : planner.Next(false))
      if (m.append) {
        EXPECT_LE(++appends[m.key], 8) << "key " << m.key;
        EXPECT_TRUE(elements.insert(m.element).second);
      }
  EXPECT_GT(appends.size(), 20u);
  for (const auto& m : planner.Next(true)) EXPECT_FALSE(m.append);
}

TEST(ListAppendClients, TargetsAreTheEndpointsThenEachNodeInTurn) {
  WorkloadEndpoints ep;
  ep.read_write.host = "rw";
  ep.read_only = PgTarget{};
  ep.read_only->host = "ro";
  for (const char* n : {"node1", "node2"}) {
    PgTarget t;
    t.host = n;
    ep.nodes.emplace_back(n, t);
  }
  ListAppendSpec spec = Spec();
  spec.clients = 2;
  spec.replica_clients = 3;
  spec.node_clients = 3;
  std::vector<std::string> got;
  for (const auto& t : ListAppendTargets(spec, ep)) got.push_back(t.target.host + (t.read_only ? " ro" : " rw"));
  EXPECT_EQ(got, (std::vector<std::string>{"rw rw", "rw rw", "ro ro", "node1 ro", "node2 ro", "node1 rw", "node2 rw",
                                           "node1 rw"}));
  ep.read_only.reset();
  EXPECT_EQ(ListAppendTargets(spec, ep)[2].target.host, "node1") << "no read-only endpoint: the nodes at once";
}

TEST(ListAppendClients, ParsesPostgresArrays) {
  EXPECT_EQ(ParseIntArray("{}"), std::vector<int64_t>{});
  EXPECT_EQ(ParseIntArray("{1,22,-3}"), (std::vector<int64_t>{1, 22, -3}));
  EXPECT_FALSE(ParseIntArray("{1,x}"));
  EXPECT_FALSE(ParseIntArray("1,2"));
}

}  // namespace
}  // namespace pgha
