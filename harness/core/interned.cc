#include "core/interned.h"

#include <mutex>
#include <unordered_set>

namespace pgha {
namespace {

struct Pool {
  std::mutex mu;
  std::unordered_set<std::string> values;  // nodes: a value's address never changes
};

Pool& ThePool() {
  static Pool* pool = new Pool;  // never destroyed: operations may outlive static destruction
  return *pool;
}

}  // namespace

const std::string* Interned::Intern(std::string_view text) {
  if (text.empty()) return nullptr;
  Pool& pool = ThePool();
  std::lock_guard<std::mutex> lock(pool.mu);
  return &*pool.values.emplace(text).first;
}

const std::string& Interned::Empty() {
  static const std::string empty;
  return empty;
}

}  // namespace pgha
