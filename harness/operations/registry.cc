#include "operations/registry.h"

#include <algorithm>

#include "core/text.h"

namespace pgha {

// Each defined in its own file of this folder; one line each.
#define PGHA_OPERATION_TYPES(X) \
  X(PauseOperation)             \
  X(ResumeOperation)            \
  X(EditConfigOperation)        \
  X(ReloadOperation)            \
  X(TagsOperation)              \
  X(PgbouncerOperation)         \
  X(AnsibleOperation)

#define PGHA_DECLARE(name) const OperationType* name();
PGHA_OPERATION_TYPES(PGHA_DECLARE)
#undef PGHA_DECLARE

const std::vector<const OperationType*>& AllOperationTypes() {
  static const std::vector<const OperationType*> all = {
#define PGHA_LIST(name) name(),
      PGHA_OPERATION_TYPES(PGHA_LIST)
#undef PGHA_LIST
  };
  return all;
}

const OperationType* FindOperationType(const std::string& name) {
  for (const OperationType* t : AllOperationTypes())
    if (t->Name() == name) return t;
  return nullptr;
}

std::string OperationTypeNames() {
  std::vector<std::string> names;
  for (const OperationType* t : AllOperationTypes()) names.push_back(t->Name());
  std::sort(names.begin(), names.end());
  return Join(names);
}

}  // namespace pgha
