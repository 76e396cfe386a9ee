#include "services/registry.h"

#include <algorithm>

#include "core/text.h"

namespace pgha {

// Each defined in its own file of this folder.
const Service* EtcdService();
const Service* WatchdogService();
const Service* PatroniService();
const Service* HaproxyService();
const Service* PgbouncerService();
const Service* KeepalivedService();

const std::vector<const Service*>& AllServices() {
  static const std::vector<const Service*> kAll = [] {
    std::vector<const Service*> all = {
        EtcdService(), WatchdogService(), PatroniService(), HaproxyService(), PgbouncerService(), KeepalivedService(),
    };
    std::stable_sort(all.begin(), all.end(), [](const Service* a, const Service* b) { return a->Tier() < b->Tier(); });
    return all;
  }();
  return kAll;
}

const Service* FindService(const std::string& kind) {
  for (const Service* s : AllServices())
    if (s->Kind() == kind) return s;
  return nullptr;
}

std::string ServiceKindList() {
  std::vector<std::string> kinds;
  for (const Service* s : AllServices())
    if (s->UserRole()) kinds.push_back(s->Kind());
  return Join(kinds);
}

namespace {
// What `part` says of every kind in `kinds`, in registry order.
template <typename T>
std::vector<T> Collect(const std::set<std::string>& kinds, std::vector<T> (Service::*part)() const) {
  std::vector<T> out;
  for (const Service* s : AllServices())
    if (kinds.count(s->Kind()))
      for (auto& item : (s->*part)()) out.push_back(item);
  return out;
}
}  // namespace

std::vector<RequiredProgram> ProgramsFor(const std::set<std::string>& kinds) {
  return Collect(kinds, &Service::Programs);
}
std::vector<VersionQuery> VersionsFor(const std::set<std::string>& kinds) { return Collect(kinds, &Service::Versions); }

}  // namespace pgha
