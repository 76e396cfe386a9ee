// Small text helpers shared by every layer: joining lists for messages and
// checked parsing of numbers that come from outside (server answers, saved
// files), which must never throw or terminate a worker thread. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgha {

// "a, b, c" (or with another separator).
std::string Join(const std::vector<std::string>& items, std::string_view separator = ", ");

// A whole decimal number with an optional leading minus and nothing else;
// nullopt for anything else (empty, spaces, overflow, "12abc").
std::optional<int64_t> ParseInt64(std::string_view text);
std::optional<int> ParseInt(std::string_view text);

// The fields between separators ("a::b" by ':' gives "a", "", "b").
std::vector<std::string> Split(std::string_view text, char separator);
// Without leading and trailing spaces, tabs and newlines.
std::string Trim(std::string_view text);

// The last `lines` lines of a text ("" for an empty one).
std::string LastLines(const std::string& text, int lines);
// A value quoted in a message: itself when short, else its first 40
// characters and "... (N characters)", so that a huge input never makes a
// huge message.
std::string Shorten(std::string_view value);
// Text from an input file made safe to print on a terminal: control
// characters (but newline) and DEL as \xNN, bidirectional overrides and
// isolates (U+202A..U+202E, U+2066..U+2069) as \u{NNNN}; the rest as is.
std::string EscapeForTerminal(std::string_view text);
// ASCII letters in upper case ("pass" -> "PASS").
std::string ToUpper(std::string_view text);
// Case-insensitive substring test.
bool ContainsIgnoringCase(const std::string& text, const std::string& part);

}  // namespace pgha
