// validate and list: scenario, suite and topology files, without touching the machine.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/system.h"
#include "core/files.h"
#include "core/text.h"
#include "faults/registry.h"
#include "operations/registry.h"
#include "scenario/suite.h"
#include "scenario/validate_file.h"

namespace pgha {
namespace fs = std::filesystem;

namespace {

void PrintVerdict(const std::string& f, const FileVerdict& v) {
  for (const auto& w : v.warnings) PrintWarning(w);
  if (!v.error.empty())
    PrintError(v.error);
  else
    fmt::print("{}: ok ({})\n", EscapeForTerminal(f), EscapeForTerminal(v.detail));
}

// `validate --json`: {"files": [{file, kind, valid, detail | error, warnings}], "invalid": N}.
std::string VerdictsJson(const std::vector<std::string>& files, const std::vector<FileVerdict>& verdicts) {
  nlohmann::json out = {{"files", nlohmann::json::array()}, {"invalid", 0}};
  for (size_t i = 0; i < files.size(); ++i) {
    const FileVerdict& v = verdicts[i];
    nlohmann::json j = {{"file", files[i]}, {"kind", v.kind}, {"valid", v.error.empty()}, {"warnings", v.warnings}};
    if (v.error.empty())
      j["detail"] = v.detail;
    else
      j["error"] = v.error;
    out["invalid"] = out["invalid"].get<int>() + (v.error.empty() ? 0 : 1);
    out["files"].push_back(j);
  }
  return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

int ValidateFiles(const GlobalOptions& g, const std::vector<std::string>& files, bool json) {
  std::vector<FileVerdict> verdicts;
  int bad = 0;
  for (const auto& f : files) {
    verdicts.push_back(ValidateFile(f, g.fixtures_dir));
    bad += verdicts.back().error.empty() ? 0 : 1;
    if (!json) PrintVerdict(f, verdicts.back());
  }
  if (json)
    fmt::print("{}", VerdictsJson(files, verdicts));
  else if (bad > 0)
    PrintError(fmt::format("{} of {} files are invalid", bad, files.size()));
  return bad == 0 ? 0 : 2;
}

// `-` names standard input: read once, then checked as the file "<stdin>" in the current folder.
Result<std::vector<std::string>> StandardInputNamed(std::vector<std::string> files) {
  if (std::count(files.begin(), files.end(), "-") > 1)
    return InvalidInput("- (standard input) is named twice: name it once");
  for (auto& f : files) {
    if (f != "-") continue;
    if (Status read = ReadStandardInput(); !read.ok()) return read;
    f = kStandardInputName;
  }
  return files;
}

}  // namespace

int RunValidate(const GlobalOptions& g, const std::vector<std::string>& named, bool json) {
  auto files = StandardInputNamed(named);
  if (!files.ok()) {
    PrintError(files.status().message());
    return 2;
  }
  return ValidateFiles(g, *files, json);
}

namespace {

// `list --json`: {"dir", "scenarios": [...], "suites": [...]}, each with its
// file name, name, description, a suite's scenario count, and the error
// of a file that does not load.
int PrintCatalogJson(const std::string& dir, const std::vector<CatalogEntry>& entries) {
  nlohmann::json out = {{"dir", dir}, {"scenarios", nlohmann::json::array()}, {"suites", nlohmann::json::array()}};
  int bad = 0;
  for (const auto& e : entries) {
    nlohmann::json j = {
        {"file", fs::path(e.file).filename().string()}, {"name", e.name}, {"description", e.description}};
    if (e.is_suite) j["scenarios"] = e.scenario_count;
    if (!e.error.empty()) {
      j["error"] = e.error;
      ++bad;
    }
    out[e.is_suite ? "suites" : "scenarios"].push_back(j);
  }
  fmt::print("{}\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  return bad == 0 ? 0 : 2;
}

}  // namespace

int RunList(const GlobalOptions& g, const std::string& dir, bool json) {
  auto entries = ListCatalog(dir, g.fixtures_dir);
  if (entries.empty()) {
    PrintError(fmt::format("no scenarios in {} (*.yaml) and no suites in {}/suites", dir, dir));
    return 2;
  }
  if (json) return PrintCatalogJson(dir, entries);
  int bad = 0;
  bool suites_started = false;
  fmt::print("SCENARIOS ({})\n", dir);
  for (const auto& e : entries) {
    if (e.is_suite && !suites_started) {
      suites_started = true;
      fmt::print("\nSUITES ({}/suites)  run with: pgha-chaos run --suite FILE\n", dir);
    }
    const std::string file = fs::path(e.file).filename().string();
    if (!e.error.empty()) {
      ++bad;
      std::string first = e.error;
      std::replace(first.begin(), first.end(), '\n', ' ');
      fmt::print("  {:<28} INVALID: {}\n", EscapeForTerminal(file), EscapeForTerminal(first));
      continue;
    }
    fmt::print("  {:<28} {}\n", EscapeForTerminal(file),
               EscapeForTerminal(e.is_suite ? fmt::format("[{} scenarios] {}", e.scenario_count, e.description)
                                            : e.description));
  }
  fmt::print("\nFAULTS  a step's `fault:`; every key in docs/scenarios.md\n");
  for (const FaultType* f : AllFaultTypes()) fmt::print("  {:<28} {}\n", f->Name(), f->Summary());
  fmt::print("\nOPERATIONS  planned operations as steps (`pause: cluster`, ...); docs/scenarios.md\n");
  for (const OperationType* o : AllOperationTypes()) fmt::print("  {:<28} {}\n", o->Name(), o->Summary());
  return bad == 0 ? 0 : 2;
}

}  // namespace pgha
