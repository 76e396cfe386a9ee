#include "fuzz/line_mutator.h"

#include <random>

namespace pgha::fuzz {
namespace {

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    const size_t stop = end == std::string_view::npos ? text.size() : end;
    lines.emplace_back(text.substr(start, stop - start));
    start = stop + 1;
  }
  return lines;
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// Where a line's key ends and its value starts: after "key:" in YAML, else
// after the first word ("inter 2s"); npos when the line has no value.
size_t ValueStart(const std::string& line) {
  const size_t colon = line.find(": ");
  if (colon != std::string::npos) return colon + 2;
  const size_t first = line.find_first_not_of(" \t-");
  if (first == std::string::npos) return std::string::npos;
  const size_t gap = line.find(' ', first);
  return gap == std::string::npos ? std::string::npos : gap + 1;
}

size_t Indent(const std::string& line) {
  const size_t first = line.find_first_not_of(' ');
  return first == std::string::npos ? 0 : first;
}

class Mutator {
 public:
  Mutator(uint32_t seed, const std::vector<std::string>& words) : rng_(seed), words_(words) {}

  void Apply(std::vector<std::string>& lines) {
    if (lines.empty()) lines.push_back(Word() + ": " + Value());
    const size_t at = Pick(lines.size());
    std::string& line = lines[at];
    switch (Pick(6)) {
      case 0:
      case 1: ReplaceValue(line); break;
      case 2: line = std::string(Indent(line), ' ') + Word() + line.substr(std::min(line.size(), KeyEnd(line))); break;
      case 3: lines.insert(lines.begin() + static_cast<long>(at), line); break;
      case 4:
        if (lines.size() > 1)
          lines.erase(lines.begin() + static_cast<long>(at));
        else
          ReplaceValue(line);
        break;
      default: Reindent(lines, at); break;
    }
  }

 private:
  size_t Pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  std::string Word() { return words_.empty() ? "name" : words_[Pick(words_.size())]; }
  std::string Value() {
    const auto& boundary = BoundaryValues();
    return Pick(2) == 0 ? boundary[Pick(boundary.size())] : Word();
  }
  static size_t KeyEnd(const std::string& line) {
    const size_t colon = line.find(':');
    return colon != std::string::npos ? colon : line.find(' ', Indent(line));
  }
  void ReplaceValue(std::string& line) {
    const size_t start = ValueStart(line);
    line = start == std::string::npos ? line + " " + Value() : line.substr(0, start) + Value();
  }
  // A line moved two columns in or out, or a new dictionary line beside it.
  void Reindent(std::vector<std::string>& lines, size_t at) {
    const size_t indent = Indent(lines[at]);
    switch (Pick(3)) {
      case 0: lines[at].insert(0, "  "); break;
      case 1:
        if (indent > 0)
          lines[at].erase(0, std::min<size_t>(indent, 2));
        else
          lines[at].insert(0, "  ");
        break;
      default:
        lines.insert(lines.begin() + static_cast<long>(at) + 1, std::string(indent, ' ') + Word() + ": " + Value());
    }
  }

  std::mt19937 rng_;
  const std::vector<std::string>& words_;
};

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The word between the quotes of one dictionary line; false when malformed.
bool Unquote(std::string_view quoted, std::string* out) {
  for (size_t i = 0; i < quoted.size(); ++i) {
    if (quoted[i] != '\\') {
      out->push_back(quoted[i]);
      continue;
    }
    if (++i >= quoted.size()) return false;
    if (quoted[i] == '\\' || quoted[i] == '"') {
      out->push_back(quoted[i]);
    } else if (quoted[i] == 'x' && i + 2 < quoted.size() && HexDigit(quoted[i + 1]) >= 0 &&
               HexDigit(quoted[i + 2]) >= 0) {
      out->push_back(static_cast<char>(HexDigit(quoted[i + 1]) * 16 + HexDigit(quoted[i + 2])));
      i += 2;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

std::vector<std::string> ReadDictionary(std::string_view text) {
  std::vector<std::string> words;
  for (const auto& line : SplitLines(text)) {
    const size_t open = line.find('"');
    const size_t close = line.rfind('"');
    if (line.empty() || line[0] == '#' || open == std::string::npos || close <= open) continue;
    std::string word;
    if (Unquote(std::string_view(line).substr(open + 1, close - open - 1), &word) && !word.empty())
      words.push_back(std::move(word));
  }
  return words;
}

const std::vector<std::string>& BoundaryValues() {
  static const std::vector<std::string> kValues = {"0",
                                                   "-1",
                                                   "1e309",
                                                   "99999999999999999999",
                                                   "0x1f",
                                                   "1.5",
                                                   "\"\"",
                                                   "~",
                                                   "[]",
                                                   "{}",
                                                   "[[[[[[[[[[]]]]]]]]]]",
                                                   "0s",
                                                   "0ms",
                                                   "-5s",
                                                   "999999999h",
                                                   "p99 < 1e400s",
                                                   "\"in 9 of 10\"",
                                                   "all",
                                                   "../../..",
                                                   "/dev/zero",
                                                   "/etc/shadow",
                                                   "*nowhere",
                                                   "&a [*a, *a]",
                                                   ".inf",
                                                   ".nan",
                                                   "\"\\u202e\\x1b[2J\"",
                                                   std::string(300, 'a'),
                                                   "{port: 1}",
                                                   "[{kill: {}}]",
                                                   "\"10.0.0.1\"",
                                                   "127.0.0.0/24",
                                                   "65536",
                                                   "!!binary AAAA"};
  return kValues;
}

std::string MutateLines(std::string_view input, uint32_t seed, const std::vector<std::string>& words, size_t max_size) {
  std::vector<std::string> lines = SplitLines(input);
  Mutator mutator(seed, words);
  mutator.Apply(lines);
  std::string out = JoinLines(lines);
  if (out.size() > max_size) out.resize(max_size);
  return out;
}

}  // namespace pgha::fuzz
