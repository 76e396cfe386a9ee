// report: verdicts recomputed from a saved results folder, its JUnit and
// HTML written again, and for sign-off the acceptance PDF with the evidence
// hashes (--pdf), or those hashes checked (--verify).
#include <fmt/format.h>

#include <filesystem>

#include "app/ci_outputs.h"
#include "app/commands.h"
#include "app/reporting.h"
#include "app/system.h"
#include "core/build_info.h"
#include "core/files.h"
#include "report/acceptance_html.h"
#include "report/pdf_printer.h"
#include "result/baseline.h"
#include "result/evidence.h"

namespace pgha {
namespace fs = std::filesystem;

// Tells every reporter; a reporter that cannot write makes the run an error.
int Report(std::vector<std::unique_ptr<Reporter>>& reporters, const SharedResult& r, const std::string& folder) {
  int code = 0;
  for (auto& rep : reporters)
    if (Status s = rep->ScenarioDone(r, folder); !s.ok()) {
      PrintError("cannot write the results: " + s.message());
      code = 3;
    }
  return code;
}

int FinishReports(std::vector<std::unique_ptr<Reporter>>& reporters, const std::string& output,
                  const std::string& what) {
  int code = 0;
  for (auto& rep : reporters)
    if (Status s = rep->Finish(output); !s.ok()) {
      PrintError("cannot write the combined reports: " + s.message());
      code = 3;
    }
  if (code == 0)
    fmt::print("{}reports: {}/junit.xml, {}/report.html{}\n", what.empty() ? "\n" : "", output, output, what);
  return code;
}

namespace {

// Everything report will write to, checked before anything is.
Status CheckReportOptions(const ReportCommandOptions& o, const std::string& out) {
  if (Status s = CheckCiOutputs(o.ci); !s.ok()) return s;
  if (!o.pdf.empty()) {  // before anything is made
    BoostProcessRunner runner;
    if (const std::string why = ChromiumPrinter(runner).WhyNot(); !why.empty()) return InvalidInput("--pdf: " + why);
    if (Status s = CheckWritableFile(o.pdf, "--pdf"); !s.ok()) return s;
  }
  std::error_code made;
  if (!o.output.empty()) fs::create_directories(out, made);
  // junit.xml and report.html are written there: a folder that cannot take them is refused first.
  if (Status w = CheckWritableFolder(out, 1 << 20); !w.ok() || made)
    return InvalidInput(fmt::format("report writes junit.xml and report.html into {}: {}{}", out,
                                    made ? made.message() : w.message(),
                                    o.output.empty() ? " (--output DIR writes them elsewhere)" : ""));
  return Status::Ok();
}

// evidence.sha256 and acceptance.html into `out`, then the PDF.
int PrintAcceptance(const ReportCommandOptions& o, const std::string& out, const std::vector<SharedResult>& all) {
  auto evidence = HashResults(o.dir);
  if (!evidence.ok()) {
    PrintError(evidence.status().message());
    return 3;
  }
  AcceptanceInput in{{}, *evidence, o.dir, PghaVersionLine()};
  for (const auto& r : all) in.results.push_back(r.get());
  BoostProcessRunner runner;
  ChromiumPrinter printer(runner);
  Status s = WriteFileAtomic(out + "/" + kEvidenceFile, EvidenceText(*evidence));
  if (s.ok()) s = WriteFileAtomic(out + "/acceptance.html", RenderAcceptance(in));
  if (s.ok()) s = printer.Print(out + "/acceptance.html", o.pdf);
  if (!s.ok()) {
    PrintError("--pdf: " + s.message());
    return 3;
  }
  fmt::print("acceptance PDF: {} ({} results files hashed into {}/{})\n", o.pdf, evidence->size(), out, kEvidenceFile);
  return 0;
}

// --verify: the folder's files against its evidence.sha256; exit 1 on any difference.
int VerifyResults(const ReportCommandOptions& o) {
  const std::string listing = (o.output.empty() ? o.dir : o.output) + "/" + kEvidenceFile;
  auto text = ReadTextFile(listing);
  if (!text.ok()) {
    PrintError(listing + " is missing: `pgha-chaos report " + o.dir + " --pdf FILE` writes it");
    return 2;
  }
  auto check = VerifyEvidence(o.dir, *text);
  if (!check.ok()) {
    PrintError(check.status().message());
    return 2;
  }
  if (check->ok()) {
    fmt::print("evidence: all {} files match {}\n", check->checked, listing);
    return 0;
  }
  fmt::print("{}", check->Describe());
  PrintError(fmt::format("the results in {} are not the ones {} lists", o.dir, listing));
  return 1;
}

}  // namespace

int RunReport(const GlobalOptions&, const ReportCommandOptions& o) {
  if (o.verify) return VerifyResults(o);
  const auto folders = ResultFolders(o.dir);
  if (folders.empty()) {
    PrintError(o.dir + " holds no results of `pgha-chaos run` (no result.json, no run.json)");
    return 2;
  }
  const std::string out = o.output.empty() ? o.dir : o.output;
  if (Status s = CheckReportOptions(o, out); !s.ok()) {
    PrintError(s.message());
    return 2;
  }
  std::vector<std::unique_ptr<Reporter>> reporters;
  reporters.push_back(std::make_unique<JUnitReporter>());
  reporters.push_back(std::make_unique<HtmlReporter>());
  AddCiReporters(o.ci, out, &reporters);
  int worst = 0;
  std::vector<SharedResult> all;
  for (const auto& f : folders) {
    auto read = ReadEvaluated(f);
    if (!read.ok()) {
      PrintError(read.status().message());
      return 2;
    }
    const SharedResult r = std::make_shared<const ScenarioResult>(std::move(*read));
    all.push_back(r);
    for (const auto& v : r->verdicts)
      fmt::print("{:<14} {:<34} {:<30} {}\n", r->scenario.name, v.expectation.metric + " " + v.expectation.text,
                 v.measured_text, VerdictName(v.status));
    worst = WorstExitCode(worst, r->interrupted ? 3 : r->ExitCode());
    // The report links each scenario's files relative to where it is written.
    const std::string folder = fs::relative(f, out).string();
    worst = WorstExitCode(worst, Report(reporters, r, folder.empty() ? "." : folder));
  }
  worst = WorstExitCode(worst, FinishReports(reporters, out, " (recomputed from the saved history)"));
  if (!o.pdf.empty()) worst = WorstExitCode(worst, PrintAcceptance(o, out, all));
  return worst;
}

}  // namespace pgha
