// RenderKnownBug and RenderEffective (report/html.h).
#include <fmt/format.h>

#include "report/html.h"
#include "report/junit.h"

namespace pgha {

std::string RenderKnownBug(const ScenarioResult& r) {
  const auto v = r.BugVerdict();
  if (!v) return "";
  const KnownBug& b = *r.known_bug;
  return fmt::format(
      "<h3>Known bug {}</h3>\n<p class=\"{}\"><b>{}</b></p>\n<p class=\"small\">{}. Affects {}; {}. Source: {}. The "
      "targets above are the correct behaviour: a miss reproduces the bug.</p>\n",
      XmlEscape(b.id), v->expected ? "pass" : "fail", XmlEscape(v->text), XmlEscape(b.title), XmlEscape(b.affects),
      b.fixed_in ? "fixed in " + b.fixed_in->ToString() : "not fixed yet", XmlEscape(b.source));
}

std::string RenderEffective(const ScenarioResult& r) {
  if (!r.effective) return "";
  const EffectiveSettings& e = *r.effective;
  const auto written = r.settings.find("patroni");
  std::string out = fmt::format(
      "<h3>Patroni {}: written and effective settings</h3>\n<table><tr><th>Setting</th><th>Written</th><th>Runs "
      "as</th><th>Why</th></tr>\n",
      XmlEscape(e.patroni_version));
  for (const auto& [k, applied] : e.applied) {
    std::string w = "-", why;
    if (written != r.settings.end() && written->second.count(k)) {
      const auto& j = written->second.at(k);
      w = j.is_string() ? j.get<std::string>() : j.dump();
    }
    for (const auto& a : e.predicted)
      if (a.setting == k) why = a.rule;
    out += fmt::format("<tr><th>{}</th><td>{}</td><td class=\"{}\">{}</td><td class=\"small\">{}</td></tr>\n",
                       XmlEscape(k), XmlEscape(w), why.empty() ? "" : "fail", XmlEscape(applied), XmlEscape(why));
  }
  return out + "</table>\n<p class=\"small muted\">" + XmlEscape(e.Confirmation()) + "</p>\n";
}

}  // namespace pgha
