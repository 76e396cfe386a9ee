// BringUp: the middle of Deployer::Up, once the hosts exist: the run's own
// files, the certificates (with TLS), each service's folders and configs on
// its hosts, the services
// started tier by tier with their gates, and the wait until healthy. Every
// wait checks for Ctrl-C and for a daemon that died (which fails at once,
// quoting its log). Internal to deploy/.
#pragma once

#include <string>

#include "deploy/deployer.h"
#include "services/service.h"

namespace pgha {

class BringUp {
 public:
  BringUp(DeployDeps d, const Topology& t, const ClusterPlan& p, const Secrets& s, const UpOptions& o, Manifest& m)
      : d_(d), topology_(t), plan_(p), secrets_(s), o_(o), m_(m), started_(d.clock.Now()) {}

  Status WriteRunFiles();
  Status WriteCertificates();  // with TLS: the run's CA, each host's certificate, the harness's client certificate
  Status WriteConfigs();
  Status StartServices();
  Result<HealthVerdict> WaitHealthy();

 private:
  Status Check();  // Ctrl-C, and every recorded daemon still alive
  std::string Diagnose(const std::string& waiting_for);
  BringUpContext Context();
  void Progress(const std::string& line) const;

  DeployDeps d_;
  const Topology& topology_;
  const ClusterPlan& plan_;
  const Secrets& secrets_;
  const UpOptions& o_;
  Manifest& m_;
  TimePoint started_;
};

}  // namespace pgha
