// pause: cluster — Patroni's maintenance mode (patronictl pause --wait):
// Patroni stops managing PostgreSQL (no failover, no restart of a stopped
// one) until resume. Left paused, the end of the run resumes it.
#include "operations/maintenance_mode.h"

namespace pgha {
namespace {

class Pause : public OperationType {
 public:
  std::string Name() const override { return "pause"; }
  std::string Summary() const override {
    return "Patroni's maintenance mode (patronictl pause --wait): no failover and no restart until resume";
  }
  void Read(OperationReadContext& r, OperationSpec* out) const override {
    ReadClusterWord(r, Name());
    out->params = std::make_shared<OperationParams>();
  }
  OperationResult Run(OperationEnv& env, const OperationSpec&) const override {
    std::string detail;
    if (Status s = SetMaintenanceMode(env, true, &detail); !s.ok()) return OperationFailed(s);
    OperationResult r = OperationDone(detail);
    r.undo_key = kPauseUndoKey;
    r.undo.Add([](OperationEnv& e) {
      std::string ignored;
      return SetMaintenanceMode(e, false, &ignored);
    });
    return r;
  }
};

}  // namespace

const OperationType* PauseOperation() {
  static const Pause type;
  return &type;
}

}  // namespace pgha
