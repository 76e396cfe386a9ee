// The netns provider's namespace table, answered from a FakeProcessTable
// (each fake process may live in a scope: the namespace its nsenter named).
#pragma once

#include "fakes/fakes.h"
#include "providers/netns_provider.h"

namespace pgha::testing {

class FakeNetnsTable : public NetnsTable {
 public:
  explicit FakeNetnsTable(FakeProcessTable* table) : table_(table) {}
  std::vector<int> PidsIn(const std::string& netns) override { return table_->PidsIn(netns); }

 private:
  FakeProcessTable* table_;
};

}  // namespace pgha::testing
