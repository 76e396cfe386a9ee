#include "core/text.h"

#include <cctype>
#include <charconv>
#include <limits>

namespace pgha {

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::optional<int64_t> ParseInt64(std::string_view text) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::optional<int> ParseInt(std::string_view text) {
  auto v = ParseInt64(text);
  if (!v || *v < std::numeric_limits<int>::min() || *v > std::numeric_limits<int>::max()) return std::nullopt;
  return static_cast<int>(*v);
}

std::string LastLines(const std::string& text, int lines) {
  std::vector<std::string> all;
  size_t at = 0;
  while (at < text.size()) {
    size_t nl = text.find('\n', at);
    if (nl == std::string::npos) nl = text.size();
    all.push_back(text.substr(at, nl - at));
    at = nl + 1;
  }
  const size_t first = all.size() > static_cast<size_t>(lines) ? all.size() - lines : 0;
  return Join(std::vector<std::string>(all.begin() + static_cast<long>(first), all.end()), "\n");
}

bool ContainsIgnoringCase(const std::string& text, const std::string& part) {
  auto lower = [](std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  return lower(text).find(lower(part)) != std::string::npos;
}

}  // namespace pgha
