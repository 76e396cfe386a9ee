#include "faults/clock_faults.h"

#include <fmt/format.h>
#include <time.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/files.h"
#include "core/text.h"
#include "core/units.h"
#include "services/faked_clock.h"
#include "services/targets.h"

namespace pgha {
namespace {

constexpr double kOffsetToleranceS = 1.5;  // the Date header's second, and libfaketime's 1 s cache

// "-5m", "+30s", "90s": a signed duration in seconds; nullopt when not one.
std::optional<double> ParseOffset(const std::string& text) {
  if (text.empty()) return std::nullopt;
  const bool negative = text[0] == '-';
  auto d = ParseDuration(text[0] == '-' || text[0] == '+' ? text.substr(1) : text);
  if (!d.ok()) return std::nullopt;
  const double s = ToSeconds(*d);
  return negative ? -s : s;
}

// libfaketime's relative offset: "+300" / "-300.5" seconds.
std::string FaketimeOffset(double offset_s) { return fmt::format("{:+.3f}\n", offset_s); }

// The processes that share each clock file on a host: postgres reads Patroni's.
std::vector<std::string> ClockFiles(const std::vector<std::string>& processes) {
  std::vector<std::string> files;
  for (const auto& p : processes) {
    const std::string file = p == "postgres" ? "patroni" : p;
    if (!std::count(files.begin(), files.end(), file)) files.push_back(file);
  }
  return files;
}

Status SetClock(FaultEnv& env, const HostPlan& host, const std::vector<std::string>& processes, double offset_s,
                const std::string& fault_id) {
  for (const auto& file : ClockFiles(processes))
    if (Status s = WriteFileAtomic(ClockFilePath(host, file), FaketimeOffset(offset_s)); !s.ok()) return s;
  if (env.remark)
    for (const auto& p : processes) env.remark({"clock", fault_id, host.name, p, fmt::format("{:+.3f}", offset_s)});
  return Status::Ok();
}

// An HTTP Date ("Mon, 07 Dec 2026 01:41:33 GMT") in seconds since the epoch.
std::optional<double> HttpDateSeconds(const std::string& date) {
  struct tm tm {};
  const char* end = strptime(date.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (!end) return std::nullopt;
  return static_cast<double>(timegm(&tm));
}

// Patroni's clock against ours, through the Date header of its GET /patroni (/liveness has none), until
// it shows the offset asked (libfaketime reads the file once a second) or 4 s pass.
FaultEffect MeasurePatroniClock(FaultEnv& env, const HostPlan& host, double asked_s, const std::string& fault_id) {
  FaultEffect e{fault_id, "clock_offset_s",  host.name + " patroni", asked_s, 0, 0, 0,
                0,        kOffsetToleranceS, "libfaketime"};
  Deadline deadline(env.clock, std::chrono::seconds(4));
  while (!deadline.Expired()) {
    const double sent = ToSeconds(env.clock.WallNow().time_since_epoch());
    auto res = env.http.Get(PatroniApi(env.plan, host), "/patroni", std::chrono::seconds(1));
    const double received = ToSeconds(env.clock.WallNow().time_since_epoch());
    auto server = res.ok() ? HttpDateSeconds(res->date) : std::nullopt;
    if (server) {
      e.p50 = e.p99 = *server + 0.5 - (sent + received) / 2;  // the Date header drops the fraction
      ++e.samples;
      if (e.within()) break;
    }
    env.clock.SleepFor(std::chrono::milliseconds(250));
  }
  return e;
}

// Rewrites the clock files every period, offset and real time in turn,
// until stopped; each flip is told to on_flip (the journal is thread-safe).
class Strobe {
 public:
  Strobe(std::vector<std::string> files, double offset_s, Duration period, std::function<void(double)> on_flip)
      : files_(std::move(files)), offset_s_(offset_s), period_(period), on_flip_(std::move(on_flip)), thread_([this] {
          Loop();
        }) {}
  ~Strobe() { Stop(); }
  void Stop() {
    {
      std::lock_guard<std::mutex> l(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  int flips() const { return flips_; }

 private:
  void Loop() {
    std::unique_lock<std::mutex> l(mu_);
    bool shifted = true;  // the inject set the offset first
    while (!cv_.wait_for(l, period_, [this] { return stop_; })) {
      shifted = !shifted;
      for (const auto& f : files_) (void)WriteFileAtomic(f, FaketimeOffset(shifted ? offset_s_ : 0));
      if (on_flip_) on_flip_(shifted ? offset_s_ : 0);
      ++flips_;
    }
  }
  std::vector<std::string> files_;
  double offset_s_;
  Duration period_;
  std::function<void(double)> on_flip_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  int flips_ = 0;
  std::thread thread_;
};

std::shared_ptr<const FaultParams> ReadClock(FaultReadContext& r, bool strobe) {
  auto p = std::make_shared<ClockParams>();
  r.map.Require("processes");
  if (auto node = r.map.Node("processes")) {
    r.map.StringList("processes", &p->processes);
    if (p->processes.empty()) r.map.ErrorAt(*node, "processes is empty: name whose clock moves, e.g. [patroni]");
    for (const auto& name : p->processes)
      if (name != "etcd" && !WhyClockNotFakeable(name).empty())
        r.map.ErrorAt(*node, fmt::format("unknown process \"{}\"; clocks can move for {} (etcd's cannot: it is Go)",
                                         name, Join(FakeableClocks())));
    const auto& ps = p->processes;
    if (std::count(ps.begin(), ps.end(), "postgres") && !std::count(ps.begin(), ps.end(), "patroni"))
      r.map.ErrorAt(*node,
                    "postgres is Patroni's child and inherits its preload, and libfaketime 0.9.10 breaks the clock "
                    "of a multi-threaded program it preloads but does not fake (Patroni): name [patroni, postgres] "
                    "to move both");
  }
  r.map.Require("offset");
  if (auto node = r.map.Node("offset")) {
    const std::string s = node->IsScalar() ? node->Scalar() : "";
    auto offset = ParseOffset(s);
    if (!offset || *offset == 0 || std::abs(*offset) > 10 * 365 * 86400.0)
      r.map.ErrorAt(*node,
                    fmt::format("offset must be a signed duration other than 0, e.g. -5m or +30s, got \"{}\"", s));
    else
      p->offset_s = *offset;
  }
  if (strobe) {
    r.map.Require("period");
    r.map.Dur("period", &p->period);
    if (auto node = r.map.Node("period"); node && p->period.count() > 0 && p->period < std::chrono::seconds(2))
      r.map.ErrorAt(*node, "period must be at least 2s: each process reads its clock file once a second");
  }
  return p;
}

// Sets every named process's clock on every target host `offset_s` off; the undo sets it back.
Injection InjectClock(FaultEnv& env, const ResolvedFault& f, double offset_s) {
  const auto* p = ParamsOf<ClockParams>(f.spec);
  const std::vector<std::string> processes = p ? p->processes : std::vector<std::string>{};
  return ForEachHost(env, f, [&](const HostPlan& host, Injection* in) {
    const std::string name = host.name, id = f.spec.id;
    in->undo.Add([name, processes, id](FaultEnv& e) {
      const HostPlan* h = e.plan.Find(name);
      return h ? SetClock(e, *h, processes, 0, id) : Status::Ok();
    });
    if (Status s = SetClock(env, host, processes, offset_s, id); !s.ok()) return s;
    in->detail += fmt::format("{} on {} {:+g}s; ", Join(processes, "+"), host.name, offset_s);
    if (!env.dry_run && std::count(processes.begin(), processes.end(), "patroni"))
      in->effects.push_back(MeasurePatroniClock(env, host, offset_s, id));
    return Status::Ok();
  });
}

}  // namespace

std::string ClockParams::Describe() const {
  std::string s = fmt::format("{} {:+g}s", Join(processes, "+"), offset_s);
  if (period.count() > 0) s += " every " + FormatDuration(period);
  return s;
}

std::string ClockFault::Misfit(const Topology& t, const FaultSpec& f,
                               const std::vector<const HostSpec*>& candidates) const {
  const auto* p = ParamsOf<ClockParams>(f);
  return p ? ProcessesMisfit(p->processes, t, f, candidates) : "";
}

std::string ClockFault::WhyNot(FaultEnv& env, const ResolvedFault& f) const {
  const auto* p = ParamsOf<ClockParams>(f.spec);
  for (const auto& name : p ? p->processes : std::vector<std::string>{})
    if (std::string why = WhyClockNotFakeable(name); !why.empty()) return why;
  if (!env.provider.RunsLocalPrograms())
    return fmt::format(
        "the {} provider's hosts do not run this machine's programs, so libfaketime and our clock "
        "shim cannot be preloaded into their services",
        env.provider.Name());
  if (ClockShimPath().empty()) return "libpgha-clock-shim.so is not beside pgha-chaos: build it (cmake --build)";
  for (const auto& name : p ? p->processes : std::vector<std::string>{})
    if (!std::count(env.plan.faked_clocks.begin(), env.plan.faked_clocks.end(), name))
      return fmt::format(
          "the cluster was started without {}'s clock preloaded (a cluster that `up` built before "
          "the run): let `run` build it",
          name);
  for (const auto& host : f.hosts)
    if (!env.plan.Find(host)) return "unknown host " + host;
  return "";
}

Injection ClockStrobeFaultType::Inject(FaultEnv& env, const ResolvedFault& f) const {
  const auto* p = ParamsOf<ClockParams>(f.spec);
  Injection in = InjectClock(env, f, p ? p->offset_s : 0);
  if (!in.status.ok() || !p || env.dry_run) return in;
  std::vector<std::string> files;
  for (const auto& name : f.hosts)
    if (const HostPlan* h = env.plan.Find(name))
      for (const auto& file : ClockFiles(p->processes)) files.push_back(ClockFilePath(*h, file));
  std::function<void(double)> on_flip;
  if (env.remark)
    on_flip = [remark = env.remark, hosts = f.hosts, processes = p->processes, id = f.spec.id](double offset_s) {
      for (const auto& h : hosts)
        for (const auto& proc : processes) remark({"clock", id, h, proc, fmt::format("{:+.3f}", offset_s)});
    };
  auto strobe = std::make_shared<Strobe>(files, p->offset_s, p->period, std::move(on_flip));
  in.detail += fmt::format("flipping every {}; ", FormatDuration(p->period));
  in.undo.Add([strobe, id = f.spec.id](FaultEnv& e) {  // runs before the reset to "+0" added above
    strobe->Stop();
    if (e.remark) e.remark({"note", id, "", "", fmt::format("the clock flipped {} times", strobe->flips())});
    return Status::Ok();
  });
  return in;
}

std::vector<std::string> ClockFault::MovesClocks(const FaultSpec& f) const {
  const auto* p = ParamsOf<ClockParams>(f);
  return p ? p->processes : std::vector<std::string>{};
}

std::shared_ptr<const FaultParams> ClockFault::Read(FaultReadContext& r) const { return ReadClock(r, false); }

Injection ClockStepFault::Inject(FaultEnv& env, const ResolvedFault& f) const {
  const auto* p = ParamsOf<ClockParams>(f.spec);
  return InjectClock(env, f, p ? p->offset_s : 0);
}

std::shared_ptr<const FaultParams> ClockStrobeFaultType::Read(FaultReadContext& r) const { return ReadClock(r, true); }

}  // namespace pgha
