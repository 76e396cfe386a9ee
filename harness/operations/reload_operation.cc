// reload: all | <target> — Patroni's POST /reload on each member named
// (patronictl reload): Patroni reads its patroni.yml again and reloads
// PostgreSQL's configuration; what a tag or parameter change needs.
#include <fmt/format.h>

#include "core/text.h"
#include "operations/registry.h"

namespace pgha {
namespace {

struct ReloadParams : OperationParams {
  std::string target;
  std::string Describe() const override { return target; }
};

class Reload : public OperationType {
 public:
  std::string Name() const override { return "reload"; }
  std::string Summary() const override {
    return "Patroni's POST /reload on all or one member (patronictl reload): patroni.yml and PostgreSQL reread";
  }
  void Read(OperationReadContext& r, OperationSpec* out) const override {
    auto p = std::make_shared<ReloadParams>();
    if (r.target(r.value, &out->target, true)) p->target = out->target.ToString();
    out->has_target = true;
    out->params = p;
  }
  OperationResult Run(OperationEnv& env, const OperationSpec& op) const override {
    auto hosts = env.resolve(op.target);
    if (!hosts.ok()) return OperationFailed(hosts.status());
    std::vector<std::string> answers;
    for (const auto& h : *hosts) {
      std::string body;
      if (Status s = PatroniCall(env, h, "POST", "/reload", "", &body); !s.ok()) return OperationFailed(s);
      answers.push_back(fmt::format("{}: {}", h, body.substr(0, 80)));
    }
    return OperationDone("Patroni reloaded " + Join(answers, "; "));
  }
};

}  // namespace

const OperationType* ReloadOperation() {
  static const Reload type;
  return &type;
}

}  // namespace pgha
