// The acceptance document that `report --pdf` prints (headless Chromium):
// for sign-off and audits. A cover page (the clusters' topologies, the
// versions that ran, the settings under test, the date, each run's
// identifier and the SHA-256 of every results file, result/evidence.h),
// then expected against measured per target, the deviations (every target
// missed, broken or skipped, with its reason) and sign-off fields. One
// self-contained page laid out for A4; every outside string escaped. Pure.
#pragma once

#include <string>
#include <vector>

#include "result/evidence.h"
#include "result/result.h"

namespace pgha {

struct AcceptanceInput {
  std::vector<const ScenarioResult*> results;
  std::vector<EvidenceFile> evidence;
  std::string results_dir;
  std::string generated_by;  // the program's version line
};

std::string RenderAcceptance(const AcceptanceInput& in);

}  // namespace pgha
