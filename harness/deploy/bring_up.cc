#include "deploy/bring_up.h"

#include <fmt/format.h>

#include <algorithm>

#include <filesystem>

#include "cluster/service_control.h"
#include "core/cancel.h"
#include "core/files.h"
#include "core/text.h"
#include "deploy/certificates.h"
#include "services/faked_clock.h"
#include "services/registry.h"

namespace pgha {

void BringUp::Progress(const std::string& line) const {
  if (o_.progress) o_.progress(line);
}

Status BringUp::WriteRunFiles() {
  if (Status s = WriteFileAtomic(plan_.run_dir + "/cluster.json", PlanToJson(plan_).dump(2) + "\n"); !s.ok()) return s;
  if (Status s = WriteFileAtomic(plan_.run_dir + "/secrets.json", SecretsToJson(secrets_).dump(2) + "\n", 0600);
      !s.ok())
    return s;
  // A pgpass for people connecting by hand: PGPASSFILE=<run_dir>/pgpass psql ...
  return WriteFileAtomic(plan_.run_dir + "/pgpass", fmt::format("*:*:*:postgres:{}\n", secrets_.superuser_password),
                         0600);
}

// Each file is recorded in the manifest before it is written; keys are
// mode 0600 and owned by the services' user, never printed.
Status BringUp::WriteCertificates() {
  if (!plan_.tls.links.any()) return Status::Ok();
  Progress("certificates: a CA for this run, one certificate per host, one for the harness");
  auto certs = MakeRunCertificates(plan_);
  if (!certs.ok()) return certs.status();
  auto local = [&](const std::string& path, const std::string& text) -> Status {
    auto id = m_.Record(Resource::Of(kFileResource, path));
    if (!id.ok()) return id.status();
    if (Status s = WriteFileAtomic(path, text, 0600); !s.ok()) return s;
    return m_.MarkCreated(*id);
  };
  std::error_code ec;
  std::filesystem::create_directories(plan_.tls.dir, ec);
  std::filesystem::permissions(plan_.tls.dir, std::filesystem::perms(0700), ec);
  for (const auto& [path, text] : {std::pair{plan_.tls.CaFile(), certs->ca_cert_pem},
                                   {plan_.tls.ClientCert(), certs->client.cert_pem},
                                   {plan_.tls.ClientKey(), certs->client.key_pem}})
    if (Status s = local(path, text); !s.ok()) return s;
  for (const auto& h : plan_.hosts) {
    const std::string dir = HostTlsDir(h);
    if (Status s = d_.provider.Files().MakeDirectory(h, dir, 0700, "postgres"); !s.ok()) return s;
    const KeyPair& pair = certs->host.at(h.name);
    for (const auto& [name, text] :
         {std::pair{"ca.crt", certs->ca_cert_pem}, {"server.crt", pair.cert_pem}, {"server.key", pair.key_pem}}) {
      auto id = m_.Record(Resource::Of(kFileResource, dir + "/" + name, h.scope));
      if (!id.ok()) return id.status();
      if (Status s = d_.provider.Files().WriteFile(h, {dir + "/" + name, text, 0600, "postgres"}); !s.ok()) return s;
      if (Status s = m_.MarkCreated(*id); !s.ok()) return s;
    }
  }
  return Status::Ok();
}

Status BringUp::WriteConfigs() {
  for (const Service* s : AllServices())
    for (const auto* h : plan_.HostsRunning(s->Kind())) {
      for (const auto& dir : s->Directories(plan_, *h))
        if (Status st = d_.provider.Files().MakeDirectory(*h, dir.path, dir.mode, dir.owner); !st.ok()) return st;
      auto files = s->Render({plan_, *h, topology_, secrets_, o_.fixtures_dir});
      if (!files.ok()) return files.status();
      for (const auto& f : *files)
        if (Status st = d_.provider.Files().WriteFile(*h, f); !st.ok()) return st;
    }
  return Status::Ok();
}

Status BringUp::Check() {
  if (CancelRequested()) return Cancelled(fmt::format("interrupted by signal {}", CancelSignal()));
  // A daemon that died will not come back by itself: fail now, with its log.
  for (const auto& r : m_.Snapshot()) {
    if (r.kind != kProcessResource || r.state != ResourceState::kCreated) continue;
    const auto at = r.name.find('@');
    const HostPlan* host = at == std::string::npos ? nullptr : plan_.Find(r.name.substr(at + 1));
    if (!host || d_.provider.Shell().Alive(*host, r.pid, r.start_time)) continue;
    const Service* s = FindService(r.name.substr(0, at));
    const std::string log = s ? s->LogFiles(*host).front() : "";
    auto text = d_.provider.Files().ReadFile(*host, log);
    return Failed(fmt::format("{} exited during start-up (pid {})\n--- last lines of {}\n{}", r.name, r.pid, log,
                              text.ok() ? LastLines(*text, 15) : ""));
  }
  return Status::Ok();
}

// Quotes the logs of the services health is still waiting for.
std::string BringUp::Diagnose(const std::string& waiting_for) {
  std::string out;
  for (const auto& h : plan_.hosts)
    for (const Service* s : AllServices()) {
      if (!h.Runs(s->Kind())) continue;
      const bool relevant = waiting_for.empty() || waiting_for.find(h.name) != std::string::npos ||
                            ContainsIgnoringCase(waiting_for, s->Kind()) ||
                            (s->Tier() == ServiceTier::kDatabase && waiting_for.find("leader") != std::string::npos);
      if (!relevant) continue;
      for (const auto& log : s->LogFiles(h)) {
        auto text = d_.provider.Files().ReadFile(h, log);
        if (!text.ok() || text->empty()) continue;
        out += fmt::format("\n--- last lines of {}\n{}", log, LastLines(*text, 8));
      }
    }
  return out;
}

BringUpContext BringUp::Context() {
  return {{plan_, secrets_, d_.http, d_.sql, std::chrono::milliseconds(300), &d_.provider.Shell()},
          d_.clock,
          topology_.up_timeout,
          started_,
          [this] { return Check(); },
          [this](const std::string& line) { Progress(line); },
          [this](const std::string& what) { return Diagnose(what); }};
}

Status BringUp::StartServices() {
  const BringUpContext ctx = Context();
  std::vector<std::string> kinds;
  for (const Service* s : AllServices())
    if (!plan_.HostsRunning(s->Kind()).empty()) kinds.push_back(s->Kind());
  Progress(fmt::format("starting {}", Join(kinds)));
  for (const Service* s : AllServices()) {
    const auto hosts = plan_.HostsRunning(s->Kind());
    if (hosts.empty()) continue;
    for (const auto* h : hosts) {
      if (Status st = s->BeforeStart(ctx, *h); !st.ok()) return st;
      const DaemonLaunch launch = WithFakedClock(plan_, *h, s->Kind(), s->Launch(plan_, *h));
      if (Status st = PrepareFakedClock(d_.provider.Files(), plan_, *h, s->Kind(), launch.user, m_); !st.ok())
        return st;
      if (Status st = d_.provider.Services().Start(*h, launch, m_); !st.ok()) return st;
      if (Status st = s->AfterStart(ctx, *h); !st.ok()) return st;
    }
    if (Status st = s->WaitReady(ctx); !st.ok()) return st;
  }
  return Status::Ok();
}

Result<HealthVerdict> BringUp::WaitHealthy() {
  Deadline deadline(d_.clock, topology_.up_timeout);
  std::string last_summary;
  while (true) {
    if (Status s = Check(); !s.ok()) return s;
    ProbeOptions probe;
    probe.call_timeout = std::chrono::milliseconds(300);  // all local: a live service answers in milliseconds
    probe.shell = &d_.provider.Shell();
    const HealthVerdict verdict = EvaluateHealth(plan_, Observe(plan_, secrets_, d_.http, d_.sql, probe));
    const double elapsed = ToSeconds(d_.clock.Now() - started_);
    if (verdict.healthy) {
      Progress(fmt::format("[{:5.1f}s] healthy: {}", elapsed, verdict.summary));
      return verdict;
    }
    if (verdict.summary != last_summary) {
      Progress(fmt::format("[{:5.1f}s] {}", elapsed, verdict.summary));
      last_summary = verdict.summary;
    }
    if (deadline.Expired())
      return Timeout(fmt::format("the cluster was not healthy after {:.0f}s (up_timeout); still waiting for: {}{}",
                                 ToSeconds(deadline.Budget()), verdict.waiting_for, Diagnose(verdict.waiting_for)));
    d_.clock.SleepFor(o_.poll_interval);
  }
}

}  // namespace pgha
