#include "workload/list_append.h"

#include <fmt/format.h>

#include <cctype>

#include "core/cancel.h"
#include "core/text.h"

namespace pgha {

namespace {

// The server and its timeline: a primary's from its current WAL file, a
// standby's from what its WAL receiver streams.
const char* kServerOf =
    "SELECT host(inet_server_addr()) AS addr, CASE WHEN pg_is_in_recovery() THEN (SELECT received_tli FROM "
    "pg_stat_wal_receiver) ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END AS tl";

std::string AppendSql(const elle::Mop& m) {
  return fmt::format(
      "INSERT INTO pgha_lists AS l (k, v) VALUES ({0}, ARRAY[{1}]::bigint[]) ON CONFLICT (k) DO UPDATE SET v = l.v || "
      "{1}::bigint",
      m.key, m.element);
}

// The reason, short enough to group by: SQLSTATE and the first line.
std::string ErrorText(const SqlOutcome& out) {
  std::string text = out.status.message();
  text = text.substr(0, text.find('\n'));
  if (text.size() > 160) text = text.substr(0, 160);
  return out.sqlstate.empty() ? text : out.sqlstate + " " + text;
}

std::string ReadSql(const elle::Mop& m) {
  return fmt::format("SELECT v::text AS v FROM pgha_lists WHERE k = {}", m.key);
}

std::string BeginSql(std::string isolation, bool read_only) {
  for (char& ch : isolation) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return fmt::format("BEGIN ISOLATION LEVEL {}{}", isolation, read_only ? " READ ONLY" : "");
}

}  // namespace

std::optional<std::vector<int64_t>> ParseIntArray(const std::string& text) {
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') return std::nullopt;
  std::vector<int64_t> out;
  const std::string inner = text.substr(1, text.size() - 2);
  if (inner.empty()) return out;
  for (const auto& part : Split(inner, ',')) {
    auto v = ParseInt64(part);
    if (!v) return std::nullopt;
    out.push_back(*v);
  }
  return out;
}

TxnPlanner::TxnPlanner(const ListAppendSpec& spec, uint64_t seed)
    : spec_(spec), rng_(seed * 7919 + 17), active_(spec.keys), appended_(spec.keys, 0) {
  for (int i = 0; i < spec.keys; ++i) active_[i] = next_key_++;
}

std::vector<elle::Mop> TxnPlanner::Next(bool read_only) {
  std::lock_guard<std::mutex> lock(mu_);
  const int span = spec_.max_txn_len - spec_.min_txn_len + 1;
  const int len = spec_.min_txn_len + static_cast<int>(rng_() % static_cast<uint64_t>(span));
  std::vector<elle::Mop> mops(len);
  for (auto& m : mops) {
    const size_t slot = rng_() % active_.size();
    m.key = active_[slot];
    if (read_only || rng_() % 2 == 0) continue;  // a read
    m.append = true;
    m.element = next_element_++;
    if (++appended_[slot] >= spec_.max_writes_per_key) {
      active_[slot] = next_key_++;
      appended_[slot] = 0;
    }
  }
  return mops;
}

void ListAppendClients::Start() {
  for (int i = 0; i < static_cast<int>(targets_.size()); ++i)
    threads_.emplace_back(&ListAppendClients::Client, this, i);
}

void ListAppendClients::Stop() {
  stop_.store(true);
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

ListAppendClients::Outcome ListAppendClients::RunTxn(SqlSession& session, std::vector<elle::Mop>& mops,
                                                     bool read_only) {
  Outcome o;
  o.reads.resize(mops.size());
  auto abandon = [&](const SqlOutcome& out) {
    // An error the server sent leaves the session usable after a ROLLBACK;
    // a lost connection was rolled back by the server.
    o.error = ErrorText(out);
    o.drop_session = out.indeterminate || !session.Exec("ROLLBACK", op_timeout_).status.ok();
    return o;
  };
  const std::string isolation = read_only ? "repeatable read" : spec_.isolation;
  if (auto out = session.Exec(BeginSql(isolation, read_only), op_timeout_); !out.status.ok()) return abandon(out);
  for (size_t i = 0; i < mops.size(); ++i) {
    if (stop_.load() || CancelRequested()) {
      o.drop_session = true;  // never committed: closing the session rolls it back
      o.error = "the run ended before it committed";
      return o;
    }
    elle::Mop& m = mops[i];
    auto out = session.Exec(m.append ? AppendSql(m) : ReadSql(m), op_timeout_);
    if (!out.status.ok()) return abandon(out);
    if (m.append) continue;
    const auto cell = out.rows.Cell(0, "v");
    auto list = cell ? ParseIntArray(*cell) : std::optional<std::vector<int64_t>>(std::vector<int64_t>{});
    if (!list) {
      SqlOutcome bad = out;
      bad.status = Failed("an unreadable list: " + cell.value_or(""));
      return abandon(bad);
    }
    o.reads[i] = std::move(*list);
    m.read_known = true;
  }
  auto commit = session.Exec("COMMIT", op_timeout_);
  if (commit.status.ok()) {
    o.outcome = elle::TxnOutcome::kOk;
  } else {
    o.outcome = commit.indeterminate ? elle::TxnOutcome::kInfo : elle::TxnOutcome::kFail;
    o.error = "COMMIT: " + ErrorText(commit);
    o.drop_session = true;
  }
  if (o.outcome != elle::TxnOutcome::kOk)
    for (auto& m : mops) m.read_known = false;
  return o;
}

void ListAppendClients::Client(int index) {
  const ListAppendTarget& where = targets_[index];
  const int processes = static_cast<int>(targets_.size());
  int process = index;
  const double interval_s = processes / std::max(spec_.rate, 0.1);
  std::unique_ptr<SqlSession> session;
  std::string server;
  int timeline = -1;
  TimePoint next = clock_.Now();
  while (!stop_.load() && !CancelRequested()) {
    if (clock_.Now() < next) {
      clock_.SleepFor(
          std::min<Duration>(std::chrono::duration_cast<Duration>(next - clock_.Now()), std::chrono::milliseconds(20)));
      continue;
    }
    next += std::chrono::duration_cast<Duration>(std::chrono::duration<double>(interval_s));
    std::vector<elle::Mop> mops = planner_.Next(where.read_only);
    elle::Txn txn;
    txn.process = process;
    txn.invoke_at = rec_.NowNs();
    Outcome o;
    if (!session || session->Broken()) {
      session.reset();
      if (auto s = sql_.Connect(where.target, op_timeout_); s.ok()) {
        session = std::move(*s);
        const SqlOutcome who = session->Exec(kServerOf, op_timeout_);
        server = who.rows.Cell(0, "addr").value_or("");
        timeline = ParseInt(who.rows.Cell(0, "tl").value_or("")).value_or(-1);
      } else {
        o.error = "connecting to " + where.name + ": " + s.status().message().substr(0, 120);
      }
    }
    if (session) o = RunTxn(*session, mops, where.read_only);  // else nothing was sent: fail
    txn.outcome = o.outcome;
    txn.timeline = session ? timeline : -1;
    txn.complete_at = o.outcome == elle::TxnOutcome::kInfo ? elle::kNever : rec_.NowNs();
    rec_.AddTxn(txn, mops, o.reads, session ? server : "", o.outcome == elle::TxnOutcome::kOk ? "" : o.error);
    if (o.drop_session) session.reset();
    if (o.outcome == elle::TxnOutcome::kInfo) process += processes;
  }
}

Status ReadAllLists(SqlClient& sql, const PgTarget& primary, Recorder& rec, Duration timeout) {
  elle::Txn txn;
  txn.process = elle::kFinalReadProcess;
  txn.invoke_at = rec.NowNs();
  auto out = sql.QueryOnce(primary, "SELECT k, v::text AS v FROM pgha_lists ORDER BY k", timeout);
  if (!out.status.ok()) return out.status.WithContext("the final read of the lists");
  std::vector<elle::Mop> mops;
  std::vector<std::vector<int64_t>> reads;
  for (size_t r = 0; r < out.rows.rows.size(); ++r) {
    auto key = ParseInt64(out.rows.Cell(r, "k").value_or(""));
    auto list = ParseIntArray(out.rows.Cell(r, "v").value_or(""));
    if (!key || !list) return Failed("the final read of the lists: an unreadable row");
    elle::Mop m;
    m.key = *key;
    m.read_known = true;
    mops.push_back(m);
    reads.push_back(std::move(*list));
  }
  if (mops.size() > 65535) return Failed("the final read of the lists: more than 65535 keys");
  txn.outcome = elle::TxnOutcome::kOk;
  txn.complete_at = rec.NowNs();
  rec.AddTxn(txn, mops, reads, "", "", true);
  return Status::Ok();
}

}  // namespace pgha
