// Service: one kind of program a topology can put on a host (etcd,
// patroni, haproxy, ...), everything the harness knows about it in one
// place: its default ports, the programs it needs, its config files
// (rendered from fixtures/), how it is launched, its log files, the gates
// bring-up waits on, and its part of cluster health.
//
// Tiers order everything: the DCS starts first and must agree on a leader
// before the database (Patroni) starts; routers (HAProxy, ...) start last
// and are judged on whether they send clients to the right server. The
// database's health (one leader, replicas streaming) is the cluster's own
// view and lives in observe/; a service of the database tier contributes
// bring-up and files only.
//
// services/registry.h lists the kinds; a new service is a new file here
// and one line there. Implementations hold no state; thread-safe.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "client/http_client.h"
#include "client/sql_client.h"
#include "cluster/provider.h"
#include "model/cluster_plan.h"
#include "model/topology.h"

namespace pgha {

enum class ServiceTier { kDcs, kDatabase, kRouter };

struct RenderContext {
  const ClusterPlan& plan;
  const HostPlan& host;
  const Topology& topology;  // the settings under test (and the user's own templates)
  const Secrets& secrets;
  std::string fixtures_dir;  // holds the templates
};

struct DirectorySpec {
  std::string path;
  mode_t mode = 0755;
  std::string owner;  // "" root
};

// What a probe needs to reach the cluster's services. `shell` is for the
// few probes that must look at a host itself (which host holds the VIP);
// without one they report no answer.
struct ProbeContext {
  const ClusterPlan& plan;
  const Secrets& secrets;
  HttpClient& http;
  SqlClient& sql;
  Duration call_timeout = std::chrono::milliseconds(800);
  HostShell* shell = nullptr;
};

// Bring-up: the waits a service kind imposes while the cluster starts.
// `check` is called in every wait loop (Ctrl-C, a daemon that died);
// `diagnose` quotes the logs of what is awaited.
struct BringUpContext {
  ProbeContext probe;
  Clock& clock;
  Duration budget;  // the topology's up_timeout
  TimePoint started;
  std::function<Status()> check;
  std::function<void(const std::string&)> progress;
  std::function<std::string(const std::string&)> diagnose;
  // A majority of the DCS agreeing on a leader is ready enough: a restart
  // in a running cluster, where a member may still be cut off or frozen.
  bool majority_suffices = false;
};

// A router's backend as it reports it: which server it would send a
// client of `role` to, and whether that server is up for it.
struct BackendServer {
  EndpointRole role = EndpointRole::kReadWrite;
  std::string backend;  // the router's own name for it ("primary")
  std::string server;   // a topology host
  std::string status;   // as reported ("UP", "DOWN 1/2", ...)
  bool up = false;
};

// One service instance's answer to its health probe.
struct ServiceCheck {
  std::string kind;
  std::string host;
  bool answered = false;                // the probe got an answer
  bool healthy = false;                 // and the service says it is well
  std::string error;                    // why not answered
  std::vector<BackendServer> backends;  // routers
};

// What the database tier says, for judging the others.
struct HealthFacts {
  std::string leader;  // "" when there is not exactly one
  int replicas_expected = 0;
  int replicas_streaming = 0;
};

// A service kind's part of the health verdict.
struct HealthPart {
  std::string summary;                // "etcd 3/3", "haproxy routing"
  std::vector<std::string> problems;  // what health still waits for
};

class Service {
 public:
  virtual ~Service() = default;
  virtual std::string Kind() const = 0;
  virtual ServiceTier Tier() const = 0;
  // Whether a topology names it as a role (the watchdog follows from a setting instead).
  virtual bool UserRole() const { return true; }
  virtual std::map<std::string, int> DefaultPorts() const = 0;
  // Routers: the port (by name) that serves each endpoint role.
  virtual std::map<EndpointRole, std::string> EndpointPorts() const { return {}; }
  // The port (by name) clients connect to on every host of a multi-host
  // endpoint ("postgres", "pgbouncer"); "" when clients never do.
  virtual std::string ClientPortName() const { return ""; }
  // Whether a signal fault must reach the daemon's children too (keepalived's
  // VRRP child outlives a SIGKILLed parent).
  virtual bool SignalsChildren() const { return false; }
  // Undoes what a killed instance left on its host before it is started
  // again (keepalived: the VIP stays on the interface of a SIGKILLed master).
  virtual Status BeforeRestart(HostShell&, const ClusterPlan&, const HostPlan&) const { return Status::Ok(); }
  virtual std::vector<RequiredProgram> Programs() const = 0;
  virtual std::vector<VersionQuery> Versions() const = 0;

  virtual std::vector<DirectorySpec> Directories(const ClusterPlan&, const HostPlan&) const { return {}; }
  virtual Result<std::vector<FileSpec>> Render(const RenderContext& c) const = 0;
  virtual DaemonLaunch Launch(const ClusterPlan& plan, const HostPlan& host) const = 0;
  // On the host; collected into the results.
  virtual std::vector<std::string> LogFiles(const HostPlan& host) const;

  // Waits before one instance starts (what it leads to must answer), after
  // it started, and after all of this kind started.
  virtual Status BeforeStart(const BringUpContext&, const HostPlan&) const { return Status::Ok(); }
  virtual Status AfterStart(const BringUpContext&, const HostPlan&) const { return Status::Ok(); }
  virtual Status WaitReady(const BringUpContext&) const { return Status::Ok(); }

  // Health: one instance's probe (I/O), then the kind's judgement (pure),
  // given the database's facts and the problems of endpoints it serves.
  virtual ServiceCheck Probe(const ProbeContext& c, const HostPlan& host) const;
  virtual HealthPart Judge(const std::vector<ServiceCheck>& checks, const HealthFacts& facts,
                           const std::vector<std::string>& endpoint_problems) const;
  // One line for `pgha-chaos status`.
  virtual std::string StatusLine(const ServiceCheck& check) const;
};

// "<host dir>/<kind>.log": where the harness appends a daemon's output.
std::string DaemonLogPath(const HostPlan& host, const std::string& kind);

// The daemon of service `kind` on `host` ("kind@host"), as every service
// runs: in the host's folder, output appended to DaemonLogPath, with PATH, a
// UTF-8 locale and, when given, HOME as its whole environment.
DaemonLaunch ServiceDaemon(const std::string& kind, const HostPlan& host, std::vector<std::string> argv,
                           const std::string& user = "", const std::string& home = "");

}  // namespace pgha
