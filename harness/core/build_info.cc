#include "core/build_info.h"

#ifndef PGHA_VERSION
#define PGHA_VERSION "unknown"
#endif
#ifndef PGHA_COMMIT
#define PGHA_COMMIT "unknown"
#endif

namespace pgha {

std::string PghaVersion() { return PGHA_VERSION; }
std::string PghaCommit() { return PGHA_COMMIT; }
std::string PghaVersionLine() { return "pgha-chaos " + PghaVersion() + " (commit " + PghaCommit() + ")"; }

}  // namespace pgha
