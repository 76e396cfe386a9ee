#include "core/json_numbers.h"

#include <cmath>

namespace pgha {

namespace {

std::optional<std::string> Find(const nlohmann::json& j, const std::string& at) {
  if (j.is_number_float()) {
    const double v = j.get<double>();
    if (!std::isfinite(v) || std::fabs(v) >= 2147483648.0) return at.empty() ? "/" : at;
    return std::nullopt;
  }
  if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i)
      if (auto found = Find(j[i], at + "/" + std::to_string(i))) return found;
  } else if (j.is_object()) {
    for (const auto& [key, value] : j.items())
      if (auto found = Find(value, at + "/" + key)) return found;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> FirstUnfitNumber(const nlohmann::json& j) { return Find(j, ""); }

}  // namespace pgha
