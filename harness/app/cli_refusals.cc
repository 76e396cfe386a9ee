// cli_refusals.h: unknown subcommands and options, named with the closest known one.
#include "app/cli_refusals.h"

#include <fmt/format.h>

#include "app/system.h"
#include "core/text.h"

namespace pgha {

// The first word that is neither an option nor a global option's value:
// the subcommand as typed ("" when there is none).
std::string TypedSubcommand(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--workdir" || a == "--fixtures") {
      ++i;
      continue;
    }
    if (!a.empty() && a[0] != '-') return a;
  }
  return "";
}

// The subcommands a user may type (not the hidden watchdog).
std::set<std::string> SubcommandNames(CLI::App& app) {
  std::set<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](CLI::App* s) { return !s->get_group().empty(); }))
    names.insert(sub->get_name());
  return names;
}

// The hidden helpers the harness starts on hosts (watchdog, packet-engine, tcp-probe, durable-fs).
bool IsHiddenCommand(CLI::App& app, const std::string& name) {
  for (const CLI::App* sub : app.get_subcommands([](CLI::App* s) { return s->get_group().empty(); }))
    if (sub->get_name() == name) return true;
  return false;
}

// An unknown subcommand named, with the closest known one; exit 2.
int RefuseUnknownSubcommand(CLI::App& app, const std::string& typed) {
  const std::string close = ClosestMatch(typed, SubcommandNames(app));
  PrintError(fmt::format("unknown subcommand \"{}\"{}; `pgha-chaos --help` lists them", Shorten(typed),
                         close.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", close)));
  return 2;
}

// An option the chosen subcommand (and the program) does not take, named
// with the closest one that it does; exit 2. None such: nullopt (CLI11's
// own message then).
std::optional<int> RefuseUnknownOption(CLI::App& app, int argc, char** argv) {
  std::set<std::string> known;
  auto add = [&](const CLI::App* a) {
    for (const CLI::Option* o : a->get_options())
      for (const auto& name : o->get_lnames()) known.insert("--" + name);
  };
  add(&app);
  for (const CLI::App* sub : app.get_subcommands()) add(sub);
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (word == "--") break;
    if (word.rfind("--", 0) != 0) continue;
    word = word.substr(0, word.find('='));
    if (known.count(word)) continue;
    const std::string close = ClosestMatch(word, known);
    PrintError(fmt::format("unknown option \"{}\"{}; `pgha-chaos{} --help` lists them", Shorten(word),
                           close.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", close),
                           app.get_subcommands().empty() ? "" : " " + app.get_subcommands()[0]->get_name()));
    return 2;
  }
  return std::nullopt;
}

}  // namespace pgha
