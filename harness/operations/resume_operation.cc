// resume: cluster — the end of Patroni's maintenance mode (patronictl
// resume --wait): Patroni manages PostgreSQL again, and fails over if the
// leader is gone.
#include "operations/maintenance_mode.h"

namespace pgha {
namespace {

class Resume : public OperationType {
 public:
  std::string Name() const override { return "resume"; }
  std::string Summary() const override {
    return "the end of maintenance mode (patronictl resume --wait): Patroni fails over and restarts again";
  }
  void Read(OperationReadContext& r, OperationSpec* out) const override {
    ReadClusterWord(r, Name());
    out->params = std::make_shared<OperationParams>();
  }
  OperationResult Run(OperationEnv& env, const OperationSpec&) const override {
    std::string detail;
    if (Status s = SetMaintenanceMode(env, false, &detail); !s.ok()) return OperationFailed(s);
    OperationResult r = OperationDone(detail);
    r.completes.push_back(kPauseUndoKey);
    return r;
  }
};

}  // namespace

const OperationType* ResumeOperation() {
  static const Resume type;
  return &type;
}

}  // namespace pgha
