// lint's findings as SARIF 2.1.0 (OASIS), the format code review tools
// show inline (GitHub code scanning, GitLab, IDEs): one run of the tool
// "pgha-chaos lint" whose rules are every check lint makes (LintRules,
// whether it fired or not), and one result per finding with its rule, its
// level (unsafe: error; risk and slow: warning), its message (what, why,
// fix) and its region: the file and line of the setting it is about in the
// user's own files. A relative path stays relative (to the folder lint ran
// in, where a repository's files are); an absolute one becomes a file://
// URI. Pure and deterministic.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "check/predict.h"

namespace pgha {

// `fallback`: where a finding points when no file named its setting (the
// first file lint read, line 1).
std::string RenderSarif(const std::vector<Finding>& findings, const std::map<std::string, SourceSpot>& spots,
                        const SourceSpot& fallback, const std::string& tool_version);

// A path as a SARIF artifact URI: percent-encoded, file:// when absolute.
std::string SarifUri(const std::string& path);

}  // namespace pgha
