#include "core/text.h"

#include <cctype>
#include <charconv>
#include <cstdio>
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

std::string Shorten(std::string_view value) {
  constexpr size_t kShown = 40;
  if (value.size() <= kShown + 20) return std::string(value);
  std::string out(value.substr(0, kShown));
  out.append("... (").append(std::to_string(value.size())).append(" characters)");
  return out;
}

std::string EscapeForTerminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    // UTF-8 of U+202A..U+202E is E2 80 AA..AE; of U+2066..U+2069, E2 81 A6..A9.
    if (c == 0xE2 && i + 2 < text.size()) {
      const auto b1 = static_cast<unsigned char>(text[i + 1]), b2 = static_cast<unsigned char>(text[i + 2]);
      if ((b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9)) {
        const unsigned code = 0x2000u + ((b1 & 0x3Fu) << 6) + (b2 & 0x3Fu);
        char buf[16];
        std::snprintf(buf, sizeof buf, "\\u{%04X}", code);
        out += buf;
        i += 2;
        continue;
      }
    }
    if ((c < 0x20 && c != '\n') || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
      continue;
    }
    out += static_cast<char>(c);
  }
  return out;
}

bool ContainsIgnoringCase(const std::string& text, const std::string& part) {
  auto lower = [](std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  return lower(text).find(lower(part)) != std::string::npos;
}

std::vector<std::string> Split(std::string_view text, char separator) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t at = text.find(separator, start);
    out.emplace_back(text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

std::string Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

std::string ToUpper(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

}  // namespace pgha
