// Interned: an immutable string kept once per process, held by pointer.
// A history holds millions of operations, each naming the server that
// answered, the node probed and an error, and few distinct values among
// them: as std::string each took 32 bytes (96 an operation); interned, 8.
// Reads as a const std::string& (str(), or implicitly: map lookups, ==);
// assigning from a string interns it. The pool only grows, by the distinct
// values a process ever sees. Thread-safe (the pool is locked while a new
// value is added; reading needs no lock).
#pragma once

#include <fmt/format.h>

#include <ostream>
#include <string>
#include <string_view>

namespace pgha {

class Interned {
 public:
  Interned() = default;
  Interned(std::string_view text) : text_(Intern(text)) {}  // NOLINT: implicit, as a string is
  Interned(const std::string& text) : Interned(std::string_view(text)) {}
  Interned(const char* text) : Interned(std::string_view(text)) {}
  Interned& operator=(std::string_view text) { return *this = Interned(text); }
  Interned& operator=(const std::string& text) { return *this = Interned(text); }
  Interned& operator=(const char* text) { return *this = Interned(text); }

  const std::string& str() const { return text_ != nullptr ? *text_ : Empty(); }
  operator const std::string&() const { return str(); }  // NOLINT: reads as the string it holds
  bool empty() const { return text_ == nullptr; }
  size_t size() const { return str().size(); }
  const char* c_str() const { return str().c_str(); }
  void clear() { text_ = nullptr; }

  // One pointer per distinct value: equal values are the same pointer.
  friend bool operator==(const Interned& a, const Interned& b) { return a.text_ == b.text_; }
  friend bool operator==(const Interned& a, std::string_view b) { return a.str() == b; }
  friend bool operator==(const Interned& a, const std::string& b) { return a.str() == b; }
  friend bool operator==(const Interned& a, const char* b) { return a.str() == b; }
  friend bool operator<(const Interned& a, const Interned& b) { return a.str() < b.str(); }
  friend std::ostream& operator<<(std::ostream& out, const Interned& s) { return out << s.str(); }

 private:
  static const std::string* Intern(std::string_view text);  // nullptr for ""
  static const std::string& Empty();

  const std::string* text_ = nullptr;
};

}  // namespace pgha

template <>
struct fmt::formatter<pgha::Interned> : fmt::formatter<std::string_view> {
  auto format(const pgha::Interned& s, format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(s.str(), ctx);
  }
};
