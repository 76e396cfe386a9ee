// The evidence of a results folder: the SHA-256 of every file the runs
// wrote (run.json and everything in each scenario's folder: results,
// histories, events, the cluster's logs), in `evidence.sha256` in the
// format of sha256sum ("<hash>  <path>", paths relative to the folder, in
// byte order). `report --pdf` writes it and prints the hashes on the PDF's
// cover; `report --verify` recomputes them and names every file changed,
// missing or added since. The reports themselves (junit.xml, report.html,
// the PDF and its page) are derived, rewritten by `report`, and not listed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace pgha {

struct EvidenceFile {
  std::string path;  // relative to the results folder
  std::string sha256;
  uint64_t bytes = 0;
};

inline constexpr char kEvidenceFile[] = "evidence.sha256";

Result<std::vector<EvidenceFile>> HashResults(const std::string& dir);
std::string EvidenceText(const std::vector<EvidenceFile>& files);

struct EvidenceCheck {
  std::vector<std::string> changed, missing, added;
  size_t checked = 0;
  bool ok() const { return changed.empty() && missing.empty() && added.empty(); }
  std::string Describe() const;  // one line per difference
};
// Against `listing` (evidence.sha256's text); an unreadable listing is an error naming the line.
Result<EvidenceCheck> VerifyEvidence(const std::string& dir, const std::string& listing);

}  // namespace pgha
