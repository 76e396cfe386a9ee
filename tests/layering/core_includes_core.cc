// The control for core_includes_run.cc: compiled the same way, including
// only core's own headers, so it must compile. Without it, the violation
// test could pass for a reason that has nothing to do with layering.
#include "core/status.h"
#include "core/units.h"

int LayeringControl() { return pgha::Status::Ok().ok() ? 0 : 1; }
