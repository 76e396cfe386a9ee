// The reporters' calls that `run`, `report` and `merge` share: each
// result told to every reporter, then every reporter finished; a reporter
// that cannot write makes the command's exit code 3.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "report/reporter.h"

namespace pgha {

int Report(std::vector<std::unique_ptr<Reporter>>& reporters, const SharedResult& r, const std::string& folder);
// Prints "reports: ..." when all were written; `what` is added to that line.
int FinishReports(std::vector<std::unique_ptr<Reporter>>& reporters, const std::string& output,
                  const std::string& what);

}  // namespace pgha
