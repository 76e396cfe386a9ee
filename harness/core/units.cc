#include "core/units.h"

#include <fmt/format.h>
#include <cctype>
#include <cmath>
#include <utility>
#include <vector>

namespace pgha {
namespace {

// Splits "12.5ms" into 12.5 and "ms"; false when the shape is wrong.
bool SplitNumberUnit(const std::string& text, double* number, std::string* unit) {
  size_t i = 0;
  bool digits = false, dot = false;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || (text[i] == '.' && !dot))) {
    if (text[i] == '.')
      dot = true;
    else
      digits = true;
    ++i;
  }
  if (!digits || i == text.size()) return false;
  try {
    *number = std::stod(text.substr(0, i));
  } catch (...) {
    return false;
  }
  *unit = text.substr(i);
  return true;
}

}  // namespace

Result<Duration> ParseDuration(const std::string& text) {
  static const std::vector<std::pair<std::string, double>> kUnits = {
      {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9}, {"h", 3600e9}};
  double number = 0;
  std::string unit;
  const std::string hint =
      "write a non-negative number followed by one of us, ms, s, m, h with no space, e.g. 500ms, 10s, 2m";
  if (!SplitNumberUnit(text, &number, &unit)) return InvalidInput(fmt::format("bad duration \"{}\": {}", text, hint));
  for (const auto& [name, scale] : kUnits) {
    if (unit == name) {
      double ns = number * scale;
      if (ns > 1e18) return InvalidInput(fmt::format("duration \"{}\" is too long", text));
      return Duration(static_cast<int64_t>(std::llround(ns)));
    }
  }
  return InvalidInput(fmt::format("bad duration \"{}\": unknown unit \"{}\"; {}", text, unit, hint));
}

std::string FormatDuration(Duration d) {
  const int64_t ns = d.count();
  if (ns == 0) return "0s";
  if (ns % 1000000000 == 0) return fmt::format("{}s", ns / 1000000000);
  if (ns % 1000000 == 0) return fmt::format("{}ms", ns / 1000000);
  if (ns % 1000 == 0) return fmt::format("{}us", ns / 1000);
  return fmt::format("{:.3f}s", ns / 1e9);
}

Result<int> WholeSeconds(Duration d, const std::string& what) {
  if (d.count() % 1000000000 != 0)
    return InvalidInput(
        fmt::format("{} must be a whole number of seconds (Patroni takes integers), got {}", what, FormatDuration(d)));
  return static_cast<int>(d.count() / 1000000000);
}

std::optional<double> ParseNumber(const std::string& text) {
  if (text.empty() || !(std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '.' || text[0] == '-'))
    return std::nullopt;
  size_t used = 0;
  try {
    double v = std::stod(text, &used);
    if (used == text.size()) return v;
  } catch (...) {}
  return std::nullopt;
}

Result<uint64_t> ParseSize(const std::string& text) {
  static const std::vector<std::pair<std::string, double>> kUnits = {
      {"B", 1},    {"kB", 1e3},     {"KB", 1e3},        {"MB", 1e6},
      {"GB", 1e9}, {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}};
  double number = 0;
  std::string unit;
  const std::string hint = "write a number followed by one of B, kB, MB, GB, KiB, MiB, GiB, e.g. 64MB";
  if (!SplitNumberUnit(text, &number, &unit)) return InvalidInput(fmt::format("bad size \"{}\": {}", text, hint));
  for (const auto& [name, scale] : kUnits)
    if (unit == name) {
      const double bytes = number * scale;
      // 2^63 bytes: past any disk, and past what an integer of bytes holds.
      if (bytes >= 9.2e18) return InvalidInput(fmt::format("size \"{}\" is too large", text));
      return static_cast<uint64_t>(std::llround(bytes));
    }
  return InvalidInput(fmt::format("bad size \"{}\": unknown unit \"{}\"; {}", text, unit, hint));
}

}  // namespace pgha
