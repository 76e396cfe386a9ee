// FakeProvider: a provider whose hosts live in memory: files in a map,
// processes in a table, traffic blocks in a list; every resource it
// "creates" is recorded in the manifest first, exactly as a real provider
// must. With FakeHttpClient and FakeSqlClient answering as a healthy
// cluster, whole scenarios run against it in milliseconds. No namespace,
// no command, nothing outside the test's temporary folder is touched.
// Thread-safe (one mutex): the runner's threads may share it.
#pragma once

#include <signal.h>

#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "cluster/provider.h"
#include "cluster/service_control.h"
#include "core/files.h"

namespace pgha::testing {

class FakeProvider : public Provider, public HostShell, public HostFiles, public HostNetwork, public HostResources {
 public:
  struct Proc {
    std::string host;
    std::string label;  // "patroni@node1", or "" for processes a test added
    ProcessInfo info;
  };
  struct Rule {
    std::string host;
    TrafficBlock block;
    size_t id = 0;
  };

  // Provider
  std::string Name() const override { return "fake"; }
  Status Place(ClusterPlan* plan) override {
    for (auto& h : plan->hosts) h.scope = "fake-" + plan->run_id + "-" + h.name;
    return Status::Ok();
  }
  Status Preflight(const ClusterPlan&, const std::vector<RequiredProgram>& programs) override {
    std::lock_guard<std::recursive_mutex> l(mu_);
    preflight_programs = programs;
    return preflight;
  }
  Status CreateHosts(const ClusterPlan& plan, Manifest& m) override {
    auto dir = m.Record(Resource::Of(kDirectoryResource, plan.run_dir));
    if (!dir.ok()) return dir.status();
    std::filesystem::create_directories(plan.run_dir);
    m.MarkCreated(*dir);
    for (const auto& h : plan.hosts) {
      auto id = m.Record(Resource::Of("host", h.name, h.scope));
      if (!id.ok()) return id.status();
      if (h.name == fail_host) return Failed("cannot create host " + h.name);
      m.MarkCreated(*id);
      std::lock_guard<std::recursive_mutex> l(mu_);
      hosts.insert(h.name);
    }
    return Status::Ok();
  }
  TeardownReport Teardown(Manifest& m, const TeardownOptions& o) override {
    std::lock_guard<std::recursive_mutex> l(mu_);
    TeardownReport report;
    report.processes_killed = static_cast<int>(procs.size());
    procs.clear();
    rules.clear();
    auto resources = m.Snapshot();
    for (size_t i = resources.size(); i-- > 0;) {
      if (resources[i].state == ResourceState::kRemoved) continue;
      if (resources[i].kind == kDirectoryResource) {
        std::string error = RemoveRecordedDirectory(resources[i].name, o.allowed_root);
        if (!error.empty()) {
          report.errors.push_back(error);
          continue;
        }
      }
      m.MarkRemoved(i);
      ++report.removed;
    }
    ++teardowns;
    return report;
  }
  std::map<std::string, std::string> Versions(const std::vector<VersionQuery>& queries) override {
    std::map<std::string, std::string> v;
    for (const auto& q : queries) v[q.component] = "fake " + q.component;
    return v;
  }
  HostShell& Shell() override { return *this; }
  HostFiles& Files() override { return *this; }
  HostNetwork& Network() override { return *this; }
  ServiceControl& Services() override { return services_; }
  HostResources& Resources() override { return *this; }

  // HostShell
  Result<CommandResult> Exec(const HostPlan& host, const std::vector<std::string>& argv, Duration) override {
    std::lock_guard<std::recursive_mutex> l(mu_);
    std::string line = host.name + ":";
    for (const auto& a : argv) line += " " + a;
    commands.push_back(line);
    CommandResult ok;
    ok.exit_code = 0;
    for (const auto& [prefix, out] : exec_answers)
      if (line.rfind(prefix, 0) == 0) ok.out = out;
    return ok;
  }
  Status StartDaemon(const HostPlan& host, const DaemonLaunch& d, Manifest& m) override {
    auto id = m.Record(Resource::Of(kProcessResource, d.label, host.scope));
    if (!id.ok()) return id.status();
    std::lock_guard<std::recursive_mutex> l(mu_);
    started.push_back(d);
    if (!d.log_file.empty()) files[{host.name, d.log_file}] = daemon_log;
    const int pid = next_pid_++;
    procs.push_back({host.name, d.label, {pid, 1, uint64_t(1000 + pid), 'S'}});
    return m.MarkCreated(*id, pid, 1000 + pid);
  }
  std::vector<ProcessInfo> Processes(const HostPlan& host) override {
    std::lock_guard<std::recursive_mutex> l(mu_);
    std::vector<ProcessInfo> out;
    for (const auto& p : procs)
      if (p.host == host.name) out.push_back(p.info);
    return out;
  }
  bool Alive(const HostPlan& host, int pid, uint64_t start_time) override {
    for (const auto& p : Processes(host))
      if (p.pid == pid && p.start_time == start_time) return true;
    return false;
  }
  bool Signal(const HostPlan& host, int pid, int sig) override {
    std::lock_guard<std::recursive_mutex> l(mu_);
    signals.push_back({pid, sig});
    for (auto it = procs.begin(); it != procs.end(); ++it) {
      if (it->host != host.name || it->info.pid != pid) continue;
      if (sig == SIGSTOP) it->info.state = 'T';
      if (sig == SIGCONT) it->info.state = 'S';
      if ((sig == SIGKILL || (sig == SIGTERM && !stubborn.count(pid)))) procs.erase(it);
      return true;
    }
    return false;
  }
  Result<std::vector<int>> Freeze(const HostPlan& host, const std::vector<int>& spare) override {
    std::lock_guard<std::recursive_mutex> l(mu_);
    std::vector<int> frozen;
    for (auto& p : procs)
      if (p.host == host.name && !std::count(spare.begin(), spare.end(), p.info.pid)) {
        p.info.state = 'T';
        frozen.push_back(p.info.pid);
      }
    return frozen;
  }
  Status Thaw(const HostPlan& host, const std::vector<int>& frozen) override {
    std::lock_guard<std::recursive_mutex> l(mu_);
    for (auto& p : procs)
      if (p.host == host.name && std::count(frozen.begin(), frozen.end(), p.info.pid)) p.info.state = 'S';
    thawed.insert(host.name);
    return Status::Ok();
  }

  // HostFiles
  Status WriteFile(const HostPlan& host, const FileSpec& f) override {
    std::lock_guard<std::recursive_mutex> l(mu_);
    files[{host.name, f.path}] = f.content;
    owners[{host.name, f.path}] = f.owner;
    return Status::Ok();
  }
  Status MakeDirectory(const HostPlan& host, const std::string& path, mode_t, const std::string& owner) override {
    std::lock_guard<std::recursive_mutex> l(mu_);
    owners[{host.name, path}] = owner;
    return Status::Ok();
  }
  Result<std::string> ReadFile(const HostPlan& host, const std::string& path) override {
    std::lock_guard<std::recursive_mutex> l(mu_);
    auto it = files.find({host.name, path});
    if (it == files.end()) return Failed("no such file " + path + " on " + host.name);
    return it->second;
  }
  Result<uint64_t> RemoveTree(const HostPlan& host, const std::string& path) override {
    std::lock_guard<std::recursive_mutex> l(mu_);
    uint64_t n = 0;
    for (auto it = files.begin(); it != files.end();)
      if (it->first.first == host.name && it->first.second.rfind(path, 0) == 0) {
        it = files.erase(it);
        ++n;
      } else {
        ++it;
      }
    return n;
  }
  Result<uint64_t> FillFilesystem(const HostPlan& host, const std::string& path, Manifest&) override {
    std::lock_guard<std::recursive_mutex> l(mu_);
    files[{host.name, path}] = "ballast";
    return uint64_t{512} << 20;
  }
  Status RemoveFile(const HostPlan& host, const std::string& path) override {
    std::lock_guard<std::recursive_mutex> l(mu_);
    files.erase({host.name, path});
    return Status::Ok();
  }
  Status CollectLogs(const HostPlan& host, const std::vector<std::string>& paths, const std::string& dest) override {
    std::lock_guard<std::recursive_mutex> l(mu_);
    for (const auto& p : paths) {
      auto it = files.find({host.name, p});
      if (it == files.end()) continue;
      std::filesystem::create_directories(dest);
      WriteFileAtomic(dest + "/" + std::filesystem::path(p).filename().string(), it->second);
    }
    return Status::Ok();
  }

  // HostNetwork
  Result<size_t> Block(const HostPlan& host, const TrafficBlock& b, const std::string& label, Manifest& m) override {
    if (!refuse_block.ok()) return refuse_block;
    auto id = m.Record(Resource::Of("rule", label, host.scope));
    if (!id.ok()) return id.status();
    std::lock_guard<std::recursive_mutex> l(mu_);
    rules.push_back({host.name, b, *id});
    m.MarkCreated(*id);
    if (on_block) on_block();
    return *id;
  }
  Status Unblock(size_t id, Manifest& m) override {
    std::lock_guard<std::recursive_mutex> l(mu_);
    rules.erase(std::remove_if(rules.begin(), rules.end(), [&](const Rule& r) { return r.id == id; }), rules.end());
    ++unblocked;
    return m.MarkRemoved(id);
  }
  std::string WhyNoShape(const HostPlan&, const TrafficShape&) override { return no_delay; }
  Result<size_t> Shape(const HostPlan& host, const TrafficShape& shape, const std::string& label,
                       Manifest& m) override {
    auto id = m.Record(Resource::Of("qdisc", label, host.scope));
    if (!id.ok()) return id.status();
    std::lock_guard<std::recursive_mutex> l(mu_);
    shapes[*id] = {host.name, shape};
    delayed.insert(host.name);
    m.MarkCreated(*id);
    return *id;
  }
  Status Unshape(size_t id, Manifest& m) override {
    std::lock_guard<std::recursive_mutex> l(mu_);
    if (auto it = shapes.find(id); it != shapes.end()) {
      delayed.erase(it->second.first);
      shapes.erase(it);
    }
    return m.MarkRemoved(id);
  }
  bool RunsLocalPrograms() const override { return local_programs; }

  // HostResources
  std::string WhyNoLimit(const HostPlan&, const ResourceLimit&) override { return no_limit; }
  Result<size_t> Limit(const HostPlan& host, const std::vector<int>& pids, const ResourceLimit& limit,
                       const std::string& label, Manifest& m) override {
    auto id = m.Record(Resource::Of("limit-cgroup", label, host.scope));
    if (!id.ok()) return id.status();
    std::lock_guard<std::recursive_mutex> l(mu_);
    limits[*id] = {host.name, pids, limit};
    m.MarkCreated(*id);
    return *id;
  }
  Result<LimitUsage> Usage(size_t id, const Manifest&) override {
    std::lock_guard<std::recursive_mutex> l(mu_);
    if (!limits.count(id)) return Failed("no limit " + std::to_string(id));
    return limit_usage;
  }
  Status Unlimit(size_t id, Manifest& m) override {
    std::lock_guard<std::recursive_mutex> l(mu_);
    limits.erase(id);
    return m.MarkRemoved(id);
  }

  // What happened, and knobs (set before the code under test runs).
  void AddProcess(const std::string& host, int pid, int ppid = 1) {
    std::lock_guard<std::recursive_mutex> l(mu_);
    procs.push_back({host, "", {pid, ppid, uint64_t(pid), 'S'}});
  }
  size_t ProcessCount() const {
    std::lock_guard<std::recursive_mutex> l(mu_);
    return procs.size();
  }
  int Started(const std::string& label) const {
    std::lock_guard<std::recursive_mutex> l(mu_);
    return static_cast<int>(
        std::count_if(started.begin(), started.end(), [&](const DaemonLaunch& d) { return d.label == label; }));
  }

  Status preflight;
  std::string fail_host;   // CreateHosts fails at this host
  Status refuse_block;     // what Block answers instead of blocking, when not Ok
  std::string no_delay;    // what WhyNoShape says
  std::string no_limit;    // what WhyNoLimit says
  LimitUsage limit_usage;  // what Usage reports
  struct Limited {
    std::string host;
    std::vector<int> pids;
    ResourceLimit limit;
  };
  std::map<size_t, Limited> limits;                               // manifest id -> what is limited now
  bool local_programs = false;                                    // RunsLocalPrograms
  std::string daemon_log = "ready\n";                             // what a started daemon writes to its log file
  std::map<size_t, std::pair<std::string, TrafficShape>> shapes;  // manifest id -> host, qdisc
  std::set<int> stubborn;                                         // pids that ignore SIGTERM
  std::map<std::string, std::string> exec_answers;                // "host: argv..." prefix -> what Exec prints
  std::function<void()> on_block;                                 // called after each traffic block
  std::vector<RequiredProgram> preflight_programs;
  std::set<std::string> hosts, delayed, thawed;
  std::vector<DaemonLaunch> started;
  std::vector<Proc> procs;
  std::vector<Rule> rules;
  std::vector<std::pair<int, int>> signals;
  std::vector<std::string> commands;
  std::map<std::pair<std::string, std::string>, std::string> files, owners;
  int unblocked = 0;
  int teardowns = 0;

 private:
  mutable std::recursive_mutex mu_;
  int next_pid_ = 4000;
  DaemonControl services_{*this, *this};
};

}  // namespace pgha::testing
