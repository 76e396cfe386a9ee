// CheckGatePrimaryKill: the close look at the CI gate's primary-kill
// scenario, on the folder a gate run left (`out`), its console output and
// exit code. Expectations through GoogleTest; needs a netns gate run.
#pragma once

#include <string>

namespace pgha::itest {

void CheckGatePrimaryKill(const std::string& out, const std::string& console, int exit_code);

}  // namespace pgha::itest
