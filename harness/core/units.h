// Units used in topology and scenario files: durations ("500ms", "10s",
// "2m", "1.5s") and sizes ("64MB", "1GiB"). Pure functions.
//
// Parsing is strict: a number immediately followed by a known unit, no sign,
// no spaces. Failures return a message that says what is accepted; the
// caller adds file, line and column.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/status.h"

namespace pgha {

Result<Duration> ParseDuration(const std::string& text);
// "10s", "500ms", "1.5s": the shortest exact form, for configs and reports.
std::string FormatDuration(Duration d);
// Whole seconds, or an error naming what was given (Patroni takes integers).
Result<int> WholeSeconds(Duration d, const std::string& what);

Result<uint64_t> ParseSize(const std::string& text);
// A plain decimal number and nothing else ("12", "0.5"); nullopt otherwise.
std::optional<double> ParseNumber(const std::string& text);

}  // namespace pgha
