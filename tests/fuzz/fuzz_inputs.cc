#include "fuzz/fuzz_inputs.h"

#include "elle/elle_json.h"
#include "elle/list_append_check.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <vector>

#include "report/html.h"
#include "report/junit.h"
#include "result/baseline.h"
#include "scenario/lint_inputs.h"
#include "scenario/scenario.h"
#include "scenario/suite.h"
#include "scenario/topology_loader.h"
#include "scenario/validate_file.h"

namespace pgha::fuzz {
namespace fs = std::filesystem;

namespace {

const std::string kFixtures = PGHA_SOURCE_DIR "/fixtures";

// The scratch folder of this process: suites/ for suite inputs (beside
// links to every shipped scenario, so `../primary-kill.yaml` resolves as in
// scenarios/suites/), results/ for a results folder. Removed at exit.
class Scratch {
 public:
  Scratch() {
    std::string pattern = (fs::temp_directory_path() / "pgha-fuzz-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) abort();
    root_ = pattern;
    fs::create_directories(root_ / "suites");
    for (const auto& e : fs::directory_iterator(PGHA_SOURCE_DIR "/scenarios"))
      if (e.path().extension() == ".yaml") fs::create_symlink(e.path(), root_ / e.path().filename());
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  const fs::path& root() const { return root_; }

 private:
  fs::path root_;
};

const fs::path& ScratchRoot() {
  static Scratch scratch;
  return scratch.root();
}

void WriteBytes(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A refusal must say which file it read: the input itself, or a file the
// input named (a topology, a template, a scenario of a suite).
std::string NamesAFile(const std::string& message, const fs::path& input) {
  if (message.empty()) return "refused with an empty message";
  if (message.find(input.string()) != std::string::npos) return "";
  static const std::regex kAnyFile(R"([^\s'"]+\.(yaml|yml|json|jsonl|txt|j2|cfg|conf|ini|pem)\b)");
  if (std::regex_search(message, kAnyFile)) return "";
  return "refused without naming the file: " + message;
}

bool IsIpv4Literal(const std::string& name) {
  static const std::regex kIpv4(R"((\d{1,3}\.){3}\d{1,3})");
  return std::regex_match(name, kIpv4);
}

template <typename Loaded>
std::string Judge(const Loaded& loaded, const fs::path& input) {
  return loaded.ok() ? "" : NamesAFile(loaded.status().message(), input);
}

std::string CheckResults(std::string_view bytes) {
  const fs::path dir = ScratchRoot() / "results";
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir);
  const char* names[] = {"result.json", "history.jsonl", "observer.jsonl", "final_keys.txt"};
  for (const char* name : names) {
    const size_t end = std::min(bytes.find('\0'), bytes.size());
    WriteBytes(dir / name, bytes.substr(0, end));
    if (end == bytes.size()) break;
    bytes.remove_prefix(end + 1);
  }
  auto r = ReadEvaluated(dir.string());
  if (!r.ok()) return NamesAFile(r.status().message(), dir);
  // Accepted: the reports must render from it, as `report` writes them.
  const std::string junit = RenderJUnit({*r});
  const std::string html = RenderHtml({HtmlScenario{&*r, "."}});
  if (junit.find("<testsuites") == std::string::npos) return "the JUnit report has no <testsuites>";
  if (html.find("</html>") == std::string::npos) return "the HTML report is not closed";
  return "";
}

}  // namespace

std::optional<InputKind> InputKindNamed(const std::string& name) {
  if (name == "scenario") return InputKind::kScenario;
  if (name == "suite") return InputKind::kSuite;
  if (name == "topology") return InputKind::kTopology;
  if (name == "results") return InputKind::kResults;
  if (name == "validate") return InputKind::kValidate;
  if (name == "lint") return InputKind::kLint;
  if (name == "history") return InputKind::kHistory;
  return std::nullopt;
}

std::string CheckInput(InputKind kind, std::string_view bytes) {
  const fs::path& root = ScratchRoot();
  switch (kind) {
    case InputKind::kScenario: {
      const fs::path input = root / "input.yaml";
      WriteBytes(input, bytes);
      return Judge(LoadScenario(input.string(), kFixtures), input);
    }
    case InputKind::kSuite: {
      const fs::path input = root / "suites" / "input.yaml";
      WriteBytes(input, bytes);
      return Judge(LoadSuite(input.string(), kFixtures), input);
    }
    case InputKind::kTopology: {
      const fs::path input = root / "topology.yaml";
      WriteBytes(input, bytes);
      return Judge(LoadTopology(input.string()), input);
    }
    case InputKind::kResults: return CheckResults(bytes);
    case InputKind::kValidate: {
      const fs::path input = root / "any.yaml";
      WriteBytes(input, bytes);
      const auto literal_only = [](const std::string& name) { return IsIpv4Literal(name) ? name : ""; };
      const FileVerdict v = ValidateFile(input.string(), kFixtures, literal_only);
      return v.error.empty() ? "" : NamesAFile(v.error, input);
    }
    case InputKind::kLint: {
      const fs::path input = root / "cluster.conf";
      WriteBytes(input, bytes);
      return Judge(ReadLintInputs({input.string()}, kFixtures), input);
    }
    case InputKind::kHistory: {
      // As check-history: a history is refused with the line and the fix, or checked.
      auto h = elle::ParseElleHistory(std::string(bytes));
      if (!h.ok())
        return h.status().message().rfind("line ", 0) == 0 || h.status().message().find("empty") != std::string::npos
                   ? ""
                   : "refused without naming the line: " + h.status().message();
      const elle::CheckResult r = elle::CheckListAppend(*h);
      if (!r.valid && r.counts.empty() && r.input_error.empty() && !r.search_exhausted)
        return "invalid with no anomaly named";
      return "";
    }
  }
  return "unknown input kind";
}

}  // namespace pgha::fuzz
