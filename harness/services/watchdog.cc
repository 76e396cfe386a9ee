#include "services/watchdog.h"

#include <filesystem>

#include "core/files.h"
#include "services/service.h"

namespace pgha {

std::string WatchdogDevice(const HostPlan& host) { return host.dir + "/watchdog.pipe"; }
std::string WatchdogMarker(const HostPlan& host) { return host.dir + "/watchdog.fenced"; }

namespace {

class Watchdog : public Service {
 public:
  std::string Kind() const override { return "watchdog"; }
  ServiceTier Tier() const override { return ServiceTier::kDcs; }
  bool UserRole() const override { return false; }
  std::map<std::string, int> DefaultPorts() const override { return {}; }
  std::vector<RequiredProgram> Programs() const override { return {{ThisProgram(), "pgha-chaos (this program)"}}; }
  std::vector<VersionQuery> Versions() const override { return {}; }
  std::vector<DirectorySpec> Directories(const ClusterPlan&, const HostPlan& h) const override {
    return {{h.dir, 0755, "postgres"}};
  }
  Result<std::vector<FileSpec>> Render(const RenderContext&) const override { return std::vector<FileSpec>{}; }
  DaemonLaunch Launch(const ClusterPlan&, const HostPlan& h) const override {
    return ServiceDaemon("watchdog", h,
                         {ThisProgram(), "watchdog", "--device", WatchdogDevice(h), "--owner", "postgres", "--marker",
                          WatchdogMarker(h)});
  }
};

}  // namespace

const Service* WatchdogService() {
  static const Watchdog kWatchdog;
  return &kWatchdog;
}

}  // namespace pgha
