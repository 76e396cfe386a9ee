#include "workload/workload.h"

#include <fmt/format.h>

#include <random>

#include "core/cancel.h"
#include "core/text.h"

namespace pgha {

const char* kLedgerSchema =
    "CREATE TABLE IF NOT EXISTS pgha_ledger(key bigint PRIMARY KEY, writer int NOT NULL, "
    "at timestamptz NOT NULL DEFAULT clock_timestamp()); "
    "CREATE TABLE IF NOT EXISTS pgha_probe(key bigint PRIMARY KEY, node text NOT NULL, "
    "at timestamptz NOT NULL DEFAULT clock_timestamp()); "
    "CREATE TABLE IF NOT EXISTS pgha_lists(k bigint PRIMARY KEY, v bigint[] NOT NULL)";

const char* kLedgerDrop = "DROP TABLE IF EXISTS pgha_ledger, pgha_probe, pgha_lists";

// date_part gives a float8 (cheap); extract would give a numeric.
const char* kInsert =
    "INSERT INTO pgha_ledger(key, writer) VALUES ({}, {}) RETURNING (date_part('epoch', at) * 1000000)::int8 AS at_us";

namespace {

// Server address and timeline of a primary; fails on a standby.
const char* kWhoAmI =
    "SELECT host(inet_server_addr()) AS addr, "
    "('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int AS tl";

// What a read saw: the server that answered and, per writer, the highest
// sequence number visible (each writer's keys are one range of the primary
// key, so this is one index probe per writer, not a scan).
std::string ReadQuery(int writers) {
  return fmt::format(
      "SELECT host(inet_server_addr()) AS addr, (SELECT string_agg(coalesce((SELECT max(key) - (w::bigint << 32) "
      "FROM pgha_ledger WHERE key >= (w::bigint << 32) AND key < ((w::bigint + 1) << 32)), -1)::text, ',' "
      "ORDER BY w) FROM generate_series(0, {}) w) AS seen",
      writers - 1);
}

// "12,-1,40" for that many writers; empty when the answer does not fit.
std::vector<int64_t> ParseSeen(const std::string& text, int writers) {
  std::vector<int64_t> seen;
  for (const auto& part : Split(text, ','))
    if (auto v = ParseInt64(part)) seen.push_back(*v);
  if (static_cast<int>(seen.size()) != writers) seen.clear();
  return seen;
}

}  // namespace

bool Workload::SleepUntil(TimePoint next) {
  while (!stop_.load() && !CancelRequested()) {
    auto left = next - clock_.Now();
    if (left <= Duration::zero()) return true;
    clock_.SleepFor(std::min<Duration>(std::chrono::duration_cast<Duration>(left), std::chrono::milliseconds(20)));
  }
  return false;
}

void Workload::Start() {
  for (int i = 0; i < spec_.writers; ++i) threads_.emplace_back(&Workload::Writer, this, i);
  if (ep_.read_only)
    for (int i = 0; i < spec_.readers; ++i) threads_.emplace_back(&Workload::Reader, this, i);
  for (int i = 0; i < static_cast<int>(ep_.nodes.size()); ++i) threads_.emplace_back(&Workload::Probe, this, i);
  if (spec_.list_append.enabled) {
    lists_ = std::make_unique<ListAppendClients>(sql_, clock_, rec_, spec_.list_append, spec_.op_timeout,
                                                 ListAppendTargets(spec_.list_append, ep_), seed_);
    lists_->Start();
  }
}

std::vector<ListAppendTarget> ListAppendTargets(const ListAppendSpec& spec, const WorkloadEndpoints& ep) {
  std::vector<ListAppendTarget> t;
  for (int i = 0; i < spec.clients; ++i) t.push_back({"the read-write endpoint", ep.read_write, false});
  for (int i = 0; i < spec.replica_clients; ++i) {
    const int node = i - (ep.read_only ? 1 : 0);
    if (node < 0)
      t.push_back({"the read-only endpoint", *ep.read_only, true});
    else if (!ep.nodes.empty())
      t.push_back({ep.nodes[node % ep.nodes.size()].first, ep.nodes[node % ep.nodes.size()].second, true});
  }
  for (int i = 0; i < spec.node_clients && !ep.nodes.empty(); ++i)
    t.push_back({ep.nodes[i % ep.nodes.size()].first, ep.nodes[i % ep.nodes.size()].second, false});
  return t;
}

void Workload::Stop() {
  stop_.store(true);
  if (lists_) lists_->Stop();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

std::string Workload::ConnectWriter(std::unique_ptr<SqlSession>* session, std::string* server, int* timeline) {
  session->reset();
  auto s = sql_.Connect(ep_.read_write, spec_.op_timeout);
  if (!s.ok()) return s.status().message();
  auto who = (*s)->Exec(kWhoAmI, spec_.op_timeout);
  if (!who.status.ok()) return "connected, but not to a primary: " + who.status.message();
  *session = std::move(*s);
  *server = who.rows.Cell(0, "addr").value_or("");
  *timeline = ParseInt(who.rows.Cell(0, "tl").value_or("")).value_or(-1);
  return "";
}

void Workload::Writer(int index) {
  std::mt19937_64 rng(seed_ * 1000003 + index);
  std::uniform_real_distribution<double> jitter(0.9, 1.1);
  const double interval_s = spec_.writers / spec_.rate;
  std::unique_ptr<SqlSession> session;
  std::string server;
  int timeline = -1;
  int64_t seq = 0;
  TimePoint next = clock_.Now();
  while (SleepUntil(next)) {
    next = spec_.unpaced
               ? clock_.Now()
               : next + std::chrono::duration_cast<Duration>(std::chrono::duration<double>(interval_s * jitter(rng)));
    Op op;
    op.type = OpType::kWrite;
    op.process = index;
    op.key = LedgerKey(index, seq++);
    op.invoke_ns = rec_.NowNs();
    if (!session || session->Broken()) op.error = ConnectWriter(&session, &server, &timeline);
    if (!session) {
      op.outcome = Outcome::kFail;  // nothing was sent
      op.complete_ns = rec_.NowNs();
      rec_.AddOp(op);
      continue;
    }
    auto out = session->Exec(fmt::format(fmt::runtime(kInsert), op.key, index), spec_.op_timeout);
    op.complete_ns = rec_.NowNs();
    op.server = server;
    op.timeline = timeline;
    if (out.status.ok()) {
      op.outcome = Outcome::kOk;
      if (auto us = ParseInt64(out.rows.Cell(0, "at_us").value_or(""))) op.server_at_ns = rec_.WallToRunNs(*us * 1000);
    } else {
      op.outcome = out.indeterminate ? Outcome::kInfo : Outcome::kFail;
      op.error = out.status.message();
      // A broken connection, or a server that is no longer a primary
      // (25006 read_only_sql_transaction: a deposed primary, or a pooler
      // that leads to a replica now): connect again, as a pooling client would.
      if (out.indeterminate || out.sqlstate == "25006") session.reset();
    }
    rec_.AddOp(op);
  }
}

void Workload::Reader(int index) {
  const std::string read_query = ReadQuery(spec_.writers);
  std::unique_ptr<SqlSession> session;
  TimePoint next = clock_.Now();
  while (SleepUntil(next)) {
    next += std::chrono::milliseconds(200);
    Op op;
    op.type = OpType::kRead;
    op.process = index;
    op.invoke_ns = rec_.NowNs();
    if (!session || session->Broken()) {
      session.reset();
      auto s = sql_.Connect(*ep_.read_only, spec_.op_timeout);
      if (s.ok())
        session = std::move(*s);
      else
        op.error = s.status().message();
    }
    if (session) {
      auto out = session->Exec(read_query, spec_.op_timeout);
      op.outcome = out.status.ok() ? Outcome::kOk : out.indeterminate ? Outcome::kInfo : Outcome::kFail;
      if (out.status.ok()) {
        op.server = out.rows.Cell(0, "addr").value_or("");
        op.seen = ParseSeen(out.rows.Cell(0, "seen").value_or(""), spec_.writers);
      } else {
        op.error = out.status.message();
      }
      if (!out.status.ok()) session.reset();
    } else {
      op.outcome = Outcome::kFail;
    }
    op.complete_ns = rec_.NowNs();
    rec_.AddOp(op);
  }
}

void Workload::Probe(int node_index) {
  const auto& [host, target] = ep_.nodes[node_index];
  const Duration timeout = std::max<Duration>(3 * spec_.probe_interval, std::chrono::milliseconds(300));
  std::unique_ptr<SqlSession> session;
  int64_t seq = 0;
  TimePoint next = clock_.Now();
  while (SleepUntil(next)) {
    next += spec_.probe_interval;
    Op op;
    op.type = OpType::kProbe;
    op.process = node_index;
    op.node = host;
    op.server = target.host;
    op.key = (int64_t{1} << 40) + (int64_t{node_index} << 32) + seq++;
    op.invoke_ns = rec_.NowNs();
    if (!session || session->Broken()) {
      session.reset();
      auto s = sql_.Connect(target, timeout);
      if (s.ok())
        session = std::move(*s);
      else
        op.error = s.status().message();
    }
    if (session) {
      auto out =
          session->Exec(fmt::format("INSERT INTO pgha_probe(key, node) VALUES ({}, '{}')", op.key, host), timeout);
      op.outcome = out.status.ok() ? Outcome::kOk : out.indeterminate ? Outcome::kInfo : Outcome::kFail;
      if (!out.status.ok()) op.error = out.status.message();
      if (out.indeterminate) session.reset();
    } else {
      op.outcome = Outcome::kFail;
    }
    op.complete_ns = rec_.NowNs();
    rec_.AddOp(op);
  }
}

}  // namespace pgha
