#include "model/inventory.h"

namespace pgha {

std::string SshAccess::Unit(const std::string& kind) const {
  auto it = units.find(kind);
  return it != units.end() ? it->second : kind + ".service";
}

std::string SshAccess::Destination() const { return user + "@" + address; }

const SshAccess* Inventory::Find(const std::string& host) const {
  for (const auto& a : access)
    if (a.host == host) return &a;
  return nullptr;
}

}  // namespace pgha
