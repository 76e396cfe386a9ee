// `pgha-chaos check-history --model list-append FILE`: a list-append
// history in elle-cli's JSON (ours, history.elle.json, or one from Jepsen's
// tools) judged by the checker of elle/list_append_check.h. Exit 0 valid,
// 1 anomalies found, 2 unreadable (the line and the fix named).
#include <fmt/format.h>

#include <cstdio>

#include "app/commands.h"
#include "app/system.h"
#include "core/files.h"
#include "elle/elle_json.h"
#include "elle/list_append_check.h"

namespace pgha {

int RunCheckHistory(const CheckHistoryOptions& o) {
  if (o.model != "list-append") {
    PrintError(fmt::format("--model {}: only list-append histories can be checked (--model list-append)", o.model));
    return 2;
  }
  if (o.file == "-")
    if (Status s = ReadStandardInput(kHistoryFileLimit); !s.ok()) {
      PrintError(s.message());
      return 2;
    }
  auto text = ReadInputFile(o.file == "-" ? kStandardInputName : o.file, kHistoryFileLimit);
  if (!text.ok()) {
    PrintError(text.status().message());
    return 2;
  }
  auto history = elle::ParseElleHistory(*text);
  if (!history.ok()) {
    PrintError(fmt::format("{}: {}", o.file, history.status().message()));
    return 2;
  }
  const elle::CheckResult r = elle::CheckListAppend(*history);
  if (!r.input_error.empty()) {
    PrintError(fmt::format("{}: {}", o.file, r.input_error));
    return 2;
  }
  if (o.json)
    std::printf("%s\n", elle::CheckResultToJson(*history, r).dump(2).c_str());
  else
    std::printf("%s", elle::CheckResultText(*history, r).c_str());
  return r.valid ? 0 : 1;
}

}  // namespace pgha
