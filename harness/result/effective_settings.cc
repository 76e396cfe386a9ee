// EffectiveSettings (result.h): the settings Patroni ran with, predicted
// from its version and confirmed from its log.
#include <fmt/format.h>

#include <set>

#include "core/units.h"
#include "result/result.h"

namespace pgha {

EffectiveSettings EffectiveFor(const PatroniSettings& written, const std::string& patroni_version_line) {
  EffectiveSettings e;
  const auto v = ParsePatroniVersion(patroni_version_line);
  if (!v) return e;
  const EffectivePatroni p = ApplyPatroniRules(written, *v);
  e.patroni_version = v->ToString();
  e.applied = {{"ttl", FormatDuration(p.applied.ttl)},
               {"loop_wait", FormatDuration(p.applied.loop_wait)},
               {"retry_timeout", FormatDuration(p.applied.retry_timeout)},
               {"watchdog", p.applied.watchdog}};
  e.predicted = p.adjustments;
  return e;
}

std::string EffectiveSettings::Confirmation() const {
  auto key = [](const SettingAdjustment& a) { return a.setting + " " + a.written + " -> " + a.applied; };
  std::set<std::string> want, got;
  // The watchdog's refusal is logged when it is activated, on the leader only: not compared.
  for (const auto& a : predicted)
    if (a.setting != "watchdog") want.insert(key(a));
  for (const auto& a : logged) got.insert(key(a));
  if (!logs_read) return "not confirmed: no Patroni log was collected";
  if (want == got)
    return want.empty() ? "confirmed: Patroni logged no adjustment, as its version's rules predict"
                        : "confirmed by Patroni's own warnings in its log";
  std::string out = "Patroni's log differs from its version's rules:";
  for (const auto& k : got)
    if (!want.count(k)) out += " logged " + k + ";";
  for (const auto& k : want)
    if (!got.count(k)) out += " predicted " + k + " but not logged;";
  out.pop_back();
  return out + " (the log is what ran)";
}

}  // namespace pgha
