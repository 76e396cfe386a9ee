// pgbouncer: pause | resume | reconnect — PgBouncer's admin console on
// every PgBouncer of the cluster, as an operator's psql runs it around a
// switchover: PAUSE waits until every server connection is released (in
// session pooling, until its client disconnects: the step's timeout then
// ends it), RESUME lets clients through again, RECONNECT closes each
// server connection as it is released, so the next goes to wherever the
// server now is. A PAUSE left standing is resumed at the end of the run.
#include <fmt/format.h>

#include <map>

#include "core/text.h"
#include "operations/registry.h"
#include "services/targets.h"

namespace pgha {
namespace {

struct PgbouncerParams : OperationParams {
  std::string word;     // pause, resume, reconnect
  std::string command;  // PAUSE, RESUME, RECONNECT
  std::string Describe() const override { return word; }
};

constexpr const char* kUndoKey = "pgbouncer pause";

Status OnEveryPgbouncer(OperationEnv& env, const std::string& command, std::vector<std::string>* done) {
  for (const HostPlan* h : env.plan.HostsRunning("pgbouncer")) {
    PgTarget admin = PostgresAt(env.plan, h->address, h->Port("pgbouncer", "pgbouncer"), env.secrets);
    admin.dbname = "pgbouncer";
    admin.sslmode = "disable";
    admin.sslrootcert.clear();
    const Duration left = std::max<Duration>(env.deadline - env.clock.Now(), std::chrono::milliseconds(100));
    auto out = env.sql.QueryOnce(admin, command, left);
    if (!out.status.ok())
      return Failed(fmt::format("{} on the PgBouncer of {}: {}", command, h->name, out.status.message()));
    if (done) done->push_back(h->name);
  }
  return Status::Ok();
}

class Pgbouncer : public OperationType {
 public:
  std::string Name() const override { return "pgbouncer"; }
  std::string Summary() const override {
    return "PAUSE, RESUME or RECONNECT on every PgBouncer's admin console; a PAUSE left standing is resumed at the end";
  }
  void Read(OperationReadContext& r, OperationSpec* out) const override {
    auto p = std::make_shared<PgbouncerParams>();
    out->params = p;
    const std::string word = r.value.IsScalar() ? r.value.Scalar() : "";
    static const std::map<std::string, std::string> kCommands = {
        {"pause", "PAUSE"}, {"resume", "RESUME"}, {"reconnect", "RECONNECT"}};
    if (auto it = kCommands.find(word); it != kCommands.end())
      p->word = word, p->command = it->second;
    else
      r.map.ErrorAt(r.value, "pgbouncer takes pause, resume or reconnect");
    bool any = false;
    for (const auto& h : r.topology.hosts) any |= h.Runs("pgbouncer");
    if (!any)
      r.lacks(r.value, fmt::format("a pgbouncer step needs PgBouncer, and topology {} has none", r.topology.name));
  }
  OperationResult Run(OperationEnv& env, const OperationSpec& op) const override {
    const std::string& command = static_cast<const PgbouncerParams&>(*op.params).command;
    std::vector<std::string> done;
    Status s = OnEveryPgbouncer(env, command, &done);
    OperationResult r;
    if (command == "PAUSE" && !done.empty()) {  // even a PAUSE that timed out on one is undone on all
      r.undo_key = kUndoKey;
      r.undo.Add([](OperationEnv& e) { return OnEveryPgbouncer(e, "RESUME", nullptr); });
    }
    if (command == "RESUME") r.completes.push_back(kUndoKey);
    r.status = s;
    if (s.ok()) r.detail = fmt::format("{} on the PgBouncers of {}", command, Join(done));
    return r;
  }
};

}  // namespace

const OperationType* PgbouncerOperation() {
  static const Pgbouncer type;
  return &type;
}

}  // namespace pgha
