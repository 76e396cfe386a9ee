// What this binary is: pgha-chaos's version and the git commit it was
// built from (fixed when the build folder is configured; "unknown" outside
// a git checkout). `--version` prints them and every run records them, since a
// change of the checker changes what a run's figures mean. Pure.
#pragma once

#include <string>

namespace pgha {

std::string PghaVersion();  // "0.1.0"
std::string PghaCommit();   // "3f9a399c0d1e" or "unknown"
// "pgha-chaos 0.1.0 (commit 3f9a399c0d1e)".
std::string PghaVersionLine();

}  // namespace pgha
