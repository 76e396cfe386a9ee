#include "core/template.h"

#include <fmt/format.h>

#include <algorithm>

namespace pgha {
namespace {

struct Renderer {
  const std::string& text;
  const std::string& name;

  int LineOf(size_t pos) const { return 1 + static_cast<int>(std::count(text.begin(), text.begin() + pos, '\n')); }

  // Finds a tag "{{...}}" at or after pos. Returns npos when none.
  size_t FindTag(size_t pos, size_t* end, std::string* inner) const {
    size_t open = text.find("{{", pos);
    if (open == std::string::npos) return open;
    size_t close = text.find("}}", open + 2);
    if (close == std::string::npos) return std::string::npos;
    *end = close + 2;
    *inner = text.substr(open + 2, close - open - 2);
    return open;
  }

  // A section tag alone on its line swallows the line's indentation and
  // newline.
  void Standalone(size_t* open, size_t* end) const {
    size_t line_start = text.rfind('\n', *open == 0 ? 0 : *open - 1);
    line_start = (line_start == std::string::npos || *open == 0) ? 0 : line_start + 1;
    if (*open > 0 && text[*open - 1] != '\n' && text.find_first_not_of(" \t", line_start) < *open) return;
    size_t after = *end;
    while (after < text.size() && (text[after] == ' ' || text[after] == '\t')) ++after;
    if (after < text.size() && text[after] != '\n') return;
    *open = line_start;
    *end = after < text.size() ? after + 1 : after;
  }

  Status Render(size_t begin, size_t stop, const std::vector<const TemplateContext*>& scopes, std::string* out) const {
    size_t pos = begin;
    while (pos < stop) {
      size_t end = 0;
      std::string inner;
      size_t open = FindTag(pos, &end, &inner);
      if (open == std::string::npos || open >= stop) {
        out->append(text, pos, stop - pos);
        return Status::Ok();
      }
      if (inner.empty()) return InvalidInput(fmt::format("{}:{}: empty tag {{{{}}}}", name, LineOf(open)));
      if (inner[0] == '/')
        return InvalidInput(fmt::format("{}:{}: {{{{{}}}}} closes nothing", name, LineOf(open), inner));
      if (inner[0] != '#') {
        const std::string* value = Lookup(inner, scopes);
        if (value == nullptr)
          return InvalidInput(fmt::format("{}:{}: unknown template variable \"{}\"", name, LineOf(open), inner));
        out->append(text, pos, open - pos);
        out->append(*value);
        pos = end;
        continue;
      }
      const std::string section = inner.substr(1);
      size_t body_open = open, body_start = end;
      Standalone(&body_open, &body_start);
      out->append(text, pos, body_open - pos);
      // Find the matching close tag (sections of the same name do not nest).
      const std::string close_tag = "{{/" + section + "}}";
      size_t close = text.find(close_tag, body_start);
      if (close == std::string::npos || close >= stop)
        return InvalidInput(fmt::format("{}:{}: section \"{}\" is never closed", name, LineOf(open), section));
      size_t close_end = close + close_tag.size();
      size_t body_end = close;
      size_t tail_open = close;
      Standalone(&tail_open, &close_end);
      body_end = tail_open;
      const std::vector<TemplateContext>* items = LookupList(section, scopes);
      if (items == nullptr)
        return InvalidInput(fmt::format("{}:{}: unknown template section \"{}\"", name, LineOf(open), section));
      for (const auto& item : *items) {
        auto inner_scopes = scopes;
        inner_scopes.push_back(&item);
        Status s = Render(body_start, body_end, inner_scopes, out);
        if (!s.ok()) return s;
      }
      pos = close_end;
    }
    return Status::Ok();
  }

  static const std::string* Lookup(const std::string& key, const std::vector<const TemplateContext*>& scopes) {
    for (auto it = scopes.rbegin(); it != scopes.rend(); ++it) {
      auto found = (*it)->vars.find(key);
      if (found != (*it)->vars.end()) return &found->second;
    }
    return nullptr;
  }
  static const std::vector<TemplateContext>* LookupList(const std::string& key,
                                                        const std::vector<const TemplateContext*>& scopes) {
    for (auto it = scopes.rbegin(); it != scopes.rend(); ++it) {
      auto found = (*it)->lists.find(key);
      if (found != (*it)->lists.end()) return &found->second;
    }
    return nullptr;
  }
};

}  // namespace

Result<std::string> RenderTemplate(const std::string& text, const TemplateContext& ctx, const std::string& name) {
  Renderer r{text, name};
  std::string out;
  Status s = r.Render(0, text.size(), {&ctx}, &out);
  if (!s.ok()) return s;
  return out;
}

}  // namespace pgha
