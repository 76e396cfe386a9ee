// Compiled as if it were a file of harness/core/ (with core's include root
// only). It includes a header of a higher layer, so it must NOT compile:
// ctest's layering test expects the compiler to say the header is missing.
#include "core/status.h"
#include "run/runner.h"

int LayeringViolation() { return 0; }
