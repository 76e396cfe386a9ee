// lint: the failover windows a cluster's settings allow and what in them
// is unsafe or slow, from the files alone (check/predict.h).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/system.h"
#include "core/build_info.h"
#include "core/files.h"
#include "core/text.h"
#include "core/units.h"
#include "report/sarif.h"
#include "result/result_json.h"
#include "scenario/lint_inputs.h"

namespace pgha {
namespace {

nlohmann::json LintJson(const LintInputs& in, const std::vector<Window>& windows, const std::vector<Finding>& found) {
  nlohmann::json w = nlohmann::json::array(), f = nlohmann::json::array();
  for (const auto& x : windows)
    w.push_back(
        {{"failure", FailureClassName(x.failure)}, {"low_s", x.low_s}, {"high_s", x.high_s}, {"terms", x.terms}});
  for (const auto& x : found)
    f.push_back(
        {{"severity", SeverityName(x.severity)}, {"rule", x.rule}, {"what", x.what}, {"why", x.why}, {"fix", x.fix}});
  return {{"read", in.read},
          {"patroni_version", in.inputs.patroni_version.ToString()},
          {"adjusted", AdjustmentsToJson(in.inputs.patroni_adjustments)},
          {"windows", w},
          {"findings", f}};
}

std::string LintText(const LintInputs& in, const std::vector<Window>& windows, const std::vector<Finding>& found) {
  std::string out;
  for (const auto& r : in.read) out += "read " + r + "\n";
  const auto& p = in.inputs.patroni;
  out += "Patroni " + in.inputs.patroni_version.ToString() + ": ";
  if (!in.inputs.patroni_adjustments.empty()) out += DescribeAdjustments(in.inputs.patroni_adjustments) + "; ";
  out += fmt::format("settings that run: ttl {}, loop_wait {}, retry_timeout {}, synchronous_mode {}, watchdog {}",
                     FormatDuration(p.ttl), FormatDuration(p.loop_wait), FormatDuration(p.retry_timeout),
                     p.synchronous_mode ? "on" : "off", p.watchdog);
  if (in.inputs.haproxy_known)
    out += fmt::format("; HAProxy inter {} fall {} rise {}", FormatDuration(in.inputs.haproxy.check_interval),
                       in.inputs.haproxy.fall, in.inputs.haproxy.rise);
  out += "\n\npredicted failover window, by failure (first principles; each term low-high):\n";
  for (const auto& w : windows)
    out += fmt::format("  {:<32} {:5.2f} to {:5.2f} s   {}\n", FailureClassName(w.failure), w.low_s, w.high_s,
                       Join(w.terms));
  out += found.empty() ? "\nfindings: none\n" : "\nfindings:\n";
  for (const auto& f : found)
    out +=
        fmt::format("  {:<6} {}\n         why: {}\n         fix: {}\n", SeverityName(f.severity), f.what, f.why, f.fix);
  return out;
}

// --patroni-version, else the installed Patroni's, else Debian 12's (said so).
Result<PatroniVersion> LintVersion(const std::string& asked, std::vector<std::string>* read) {
  if (!asked.empty()) {
    auto v = ParsePatroniVersion(asked);
    if (!v) return InvalidInput("--patroni-version: '" + asked + "' is not a version; give it as 3.2.0");
    read->push_back("Patroni " + v->ToString() + " (--patroni-version)");
    return *v;
  }
  BoostProcessRunner runner;
  auto out = runner.Run(CommandSpec::Of({"/usr/bin/patroni", "--version"}, std::chrono::seconds(10)));
  if (out.ok() && out->Succeeded())
    if (auto v = ParsePatroniVersion(out->out)) {
      read->push_back("Patroni " + v->ToString() + " (installed here; --patroni-version predicts for another)");
      return *v;
    }
  read->push_back("Patroni " + kDebianPatroni.ToString() +
                  " (assumed: no /usr/bin/patroni here; --patroni-version names yours)");
  return kDebianPatroni;
}

}  // namespace

int RunLint(const GlobalOptions& g, const LintCommandOptions& o) {
  if (Status s = o.sarif.empty() ? Status::Ok() : CheckWritableFile(o.sarif, "--sarif"); !s.ok()) {
    PrintError(s.message());
    return 2;
  }
  auto in = ReadLintInputs(o.files, g.fixtures_dir);
  if (!in.ok()) {
    PrintError(in.status().message());
    return 2;
  }
  if (!o.target.empty()) {
    auto d = ParseDuration(o.target);
    if (!d.ok()) {
      PrintError("--target: " + d.status().message());
      return 2;
    }
    in->inputs.failover_target_s = ToSeconds(*d);
  }
  auto version = LintVersion(o.patroni_version, &in->read);
  if (!version.ok()) {
    PrintError(version.status().message());
    return 2;
  }
  ApplyPatroniVersion(&in->inputs, *version);
  const auto windows = PredictWindows(in->inputs);
  const auto found = Lint(in->inputs);
  if (!o.sarif.empty()) {
    const std::string sarif = RenderSarif(found, in->inputs.spots, {o.files.front(), 1}, PghaVersion());
    if (Status s = WriteFileAtomic(o.sarif, sarif); !s.ok()) {
      PrintError("--sarif: " + s.message());
      return 2;
    }
  }
  fmt::print("{}", o.json ? LintJson(*in, windows, found).dump(2) + "\n" : LintText(*in, windows, found));
  if (!o.sarif.empty() && !o.json) fmt::print("\nSARIF 2.1.0: {} ({} results)\n", o.sarif, found.size());
  for (const auto& f : found)
    if (f.severity == Finding::Severity::kUnsafe) return 1;
  return 0;
}

}  // namespace pgha
