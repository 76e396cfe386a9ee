#include "result/evidence.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "core/digest.h"
#include "core/text.h"
#include "result/baseline.h"

namespace pgha {
namespace fs = std::filesystem;

namespace {

// Written by `report` from the rest, so never evidence of the run.
bool Derived(const std::string& relative) {
  static const std::set<std::string> kDerived = {"junit.xml", "report.html", "report.pdf", "acceptance.html",
                                                 kEvidenceFile};
  return kDerived.count(relative) > 0;
}

// Every regular file of `folder`, recursively, as paths relative to `root`.
Status AddFiles(const fs::path& root, const fs::path& folder, std::vector<EvidenceFile>* out) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(folder, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file(ec) || Derived(fs::relative(it->path(), root, ec).string())) continue;
    auto sum = Sha256OfFile(it->path().string());
    if (!sum.ok()) return sum.status();
    out->push_back({fs::relative(it->path(), root, ec).string(), *sum, it->file_size(ec)});
  }
  return ec ? EnvironmentError("cannot list " + folder.string() + ": " + ec.message()) : Status::Ok();
}

}  // namespace

Result<std::vector<EvidenceFile>> HashResults(const std::string& dir) {
  const auto folders = ResultFolders(dir);
  if (folders.empty()) return InvalidInput(dir + " holds no results of `pgha-chaos run`");
  std::vector<EvidenceFile> files;
  std::error_code ec;
  if (fs::exists(dir + "/run.json", ec)) {
    auto sum = Sha256OfFile(dir + "/run.json");
    if (!sum.ok()) return sum.status();
    files.push_back({"run.json", *sum, fs::file_size(dir + "/run.json", ec)});
  }
  for (const auto& f : folders)  // a scenario's own folder given as `dir`: its files
    if (Status s = AddFiles(dir, f, &files); !s.ok()) return s;
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  files.erase(std::unique(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.path == b.path; }),
              files.end());
  return files;
}

std::string EvidenceText(const std::vector<EvidenceFile>& files) {
  std::string out;
  for (const auto& f : files) out += f.sha256 + "  " + f.path + "\n";
  return out;
}

std::string EvidenceCheck::Describe() const {
  std::string out;
  for (const auto& p : changed) out += "changed since it was hashed: " + p + "\n";
  for (const auto& p : missing) out += "missing: " + p + "\n";
  for (const auto& p : added) out += "not in the evidence: " + p + "\n";
  return out;
}

Result<EvidenceCheck> VerifyEvidence(const std::string& dir, const std::string& listing) {
  std::map<std::string, std::string> expected;
  int number = 0;
  for (const auto& line : Split(listing, '\n')) {
    ++number;
    if (line.empty()) continue;
    const size_t gap = line.find("  ");
    if (gap != 64 || line.size() <= 66)
      return InvalidInput(fmt::format("{}/{}:{}: not a \"<sha256>  <path>\" line", dir, kEvidenceFile, number));
    expected[line.substr(66)] = line.substr(0, 64);
  }
  auto now = HashResults(dir);
  if (!now.ok()) return now.status();
  EvidenceCheck check;
  std::set<std::string> seen;
  for (const auto& f : *now) {
    seen.insert(f.path);
    auto it = expected.find(f.path);
    if (it == expected.end())
      check.added.push_back(f.path);
    else if (it->second != f.sha256)
      check.changed.push_back(f.path);
    ++check.checked;
  }
  for (const auto& [path, _] : expected)
    if (!seen.count(path)) check.missing.push_back(path);
  return check;
}

}  // namespace pgha
