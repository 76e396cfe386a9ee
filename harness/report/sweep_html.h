// The HTML report of a sweep (sweep.html): the table of every combination
// (failover time over its trials, runs that lost writes or had two
// primaries, the control's false failovers, the frontier marked) and, per
// setting swept, a plot of failover time against that setting, drawn to
// scale: each combination's median a dot (green with a clean control, red
// without), its runs' range a whisker, the frontier ringed. Self-contained
// (inline CSS and SVG); pure.
#pragma once

#include <string>

#include "result/sweep_result.h"

namespace pgha {

std::string RenderSweepHtml(const SweepResult& s);

}  // namespace pgha
