#include "report/acceptance_html.h"

#include <fmt/format.h>

#include <map>
#include <set>

#include "report/junit.h"

namespace pgha {
namespace {

constexpr char kPageStyle[] = R"(
@page{size:A4;margin:16mm 14mm}
body{font:10.5pt/1.4 -apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1c2430}
h1{font-size:20pt;margin:0 0 4mm}h2{font-size:13pt;margin:6mm 0 2mm;break-after:avoid}
table{border-collapse:collapse;width:100%;margin:2mm 0}th,td{border:1px solid #c9d1dc;padding:1.2mm 2mm;
text-align:left;vertical-align:top}th{background:#eef1f5}td.hash{font:7.5pt monospace;word-break:break-all}
.cover{break-after:page}.pass{color:#0b6b2f;font-weight:600}.fail{color:#b3261e;font-weight:600}
.error{color:#8a4b00;font-weight:600}.skipped{color:#5b6475;font-weight:600}.sign td{height:12mm}
tr{break-inside:avoid}.muted{color:#5b6475}
)";

std::string AcceptanceCell(const std::string& s) { return "<td>" + XmlEscape(s) + "</td>"; }

// The union over the runs: every topology, version and setting under test (a setting that differs: each value).
std::string ClusterTable(const std::vector<const ScenarioResult*>& results) {
  std::map<std::string, std::set<std::string>> rows;
  for (const ScenarioResult* r : results) {
    rows["topology"].insert(r->topology);
    for (const auto& [k, v] : r->versions) rows["version of " + k].insert(v);
    for (const auto& [group, values] : r->settings)
      for (const auto& [k, v] : values) rows[group + "." + k].insert(v.is_string() ? v.get<std::string>() : v.dump());
  }
  std::string out = "<table><tr><th>What</th><th>Value</th></tr>\n";
  for (const auto& [k, values] : rows) {
    std::string joined;
    for (const auto& v : values) joined += (joined.empty() ? "" : "; ") + v;
    out += "<tr>" + AcceptanceCell(k) + AcceptanceCell(joined) + "</tr>\n";
  }
  return out + "</table>\n";
}

std::string Cover(const AcceptanceInput& in) {
  std::string runs;
  for (const ScenarioResult* r : in.results)
    runs += "<tr>" + AcceptanceCell(r->scenario.DisplayName()) + AcceptanceCell(r->run_id) +
            AcceptanceCell(r->started_at) + AcceptanceCell(std::to_string(r->seed)) + "</tr>\n";
  std::string hashes;
  for (const auto& f : in.evidence)
    hashes += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"hash\">{}</td></tr>\n", XmlEscape(f.path), f.bytes,
                          f.sha256);
  const std::string date = in.results.empty() ? "" : in.results.front()->started_at;
  return fmt::format(
      "<section class=\"cover\"><h1>PostgreSQL HA acceptance report</h1>\n"
      "<p>Results folder <b>{}</b> · first run started {} · {} scenarios · {}</p>\n"
      "<h2>The cluster, as it ran</h2>\n{}<h2>The runs</h2>\n"
      "<table><tr><th>Scenario</th><th>Run</th><th>Started (UTC)</th><th>Seed</th></tr>\n{}</table>\n"
      "<h2>Evidence: SHA-256 of every results file</h2>\n<p class=\"muted\">The same list is in {} in the results "
      "folder; <code>pgha-chaos report --verify FOLDER</code> recomputes it.</p>\n"
      "<table><tr><th>File</th><th>Bytes</th><th>SHA-256</th></tr>\n{}</table></section>\n",
      XmlEscape(in.results_dir), XmlEscape(date), in.results.size(), XmlEscape(in.generated_by),
      ClusterTable(in.results), runs, kEvidenceFile, hashes);
}

std::string Expected(const std::vector<const ScenarioResult*>& results, std::string* deviations) {
  std::string rows;
  for (const ScenarioResult* r : results) {
    for (const auto& v : r->verdicts) {
      const std::string status = VerdictName(v.status);
      rows += "<tr>" + AcceptanceCell(r->scenario.DisplayName()) +
              AcceptanceCell(v.expectation.metric + " " + v.expectation.text) + AcceptanceCell(v.measured_text) +
              fmt::format("<td class=\"{0}\">{0}</td></tr>\n", XmlEscape(status));
      if (v.status != VerdictStatus::kPass)
        *deviations += "<tr>" + AcceptanceCell(r->scenario.DisplayName()) +
                       AcceptanceCell(v.expectation.metric + " " + v.expectation.text) + AcceptanceCell(status) +
                       AcceptanceCell(v.reason) + "</tr>\n";
    }
  }
  return "<h2>Expected against measured</h2>\n<table><tr><th>Scenario</th><th>Target</th><th>Measured</th>"
         "<th>Verdict</th></tr>\n" +
         rows + "</table>\n";
}

}  // namespace

std::string RenderAcceptance(const AcceptanceInput& in) {
  std::string signers;
  for (int i = 0; i < 3; ++i) signers += "<tr><td></td><td></td><td></td><td></td><td></td></tr>\n";
  std::string deviations;
  const std::string expected = Expected(in.results, &deviations);
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>PostgreSQL HA acceptance "
      "report</title><style>{}</style></head><body>\n{}{}<h2>Deviations</h2>\n{}"
      "<h2>Sign-off</h2>\n<p>The undersigned have reviewed the results above and the evidence they rest on.</p>\n"
      "<table class=\"sign\"><tr><th>Name</th><th>Role</th><th>Decision (accept / reject)</th><th>Date</th>"
      "<th>Signature</th></tr>\n{}</table>\n</body></html>\n",
      kPageStyle, Cover(in), expected,
      deviations.empty() ? "<p>None: every target was met.</p>\n"
                         : "<table><tr><th>Scenario</th><th>Target</th><th>Verdict</th><th>Why</th></tr>\n" +
                               deviations + "</table>\n",
      signers);
}

}  // namespace pgha
