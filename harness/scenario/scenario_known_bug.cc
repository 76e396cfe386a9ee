// The `known_bug:` block of a scenario (check/known_bug.h).
#include <fmt/format.h>

#include "scenario/scenario.h"

namespace pgha {

void ReadKnownBug(YamlMap& top, Scenario* s) {
  auto node = top.Node("known_bug");
  if (!node) return;
  YamlMap m(*node, top.file(), "known_bug", top.diags());
  if (!m.valid()) return;
  KnownBug bug;
  for (const char* key : {"id", "title", "source", "affects"}) m.Require(key);
  m.String("id", &bug.id);
  m.String("title", &bug.title);
  m.String("source", &bug.source);
  m.String("affects", &bug.affects);
  if (auto a = m.Node("affects")) {
    if (auto bounds = ParseAffects(bug.affects); !bounds.ok())
      m.ErrorAt(*a, "known_bug.affects: " + bounds.status().message());
  }
  std::string fixed = "not yet";
  m.String("fixed_in", &fixed);
  if (auto f = m.Node("fixed_in"); f && fixed != "not yet") {
    bug.fixed_in = ParsePatroniVersion(" " + fixed);
    if (!bug.fixed_in)
      m.ErrorAt(*f, "known_bug.fixed_in: '" + fixed + "' is not a version: write 3.1.0, or \"not yet\"");
  }
  m.Finish();
  if (s->expectations.empty())
    m.ErrorAt(*node, "known_bug needs targets under expect: the correct behaviour, whose miss shows the bug");
  s->known_bug = std::move(bug);
}

}  // namespace pgha
