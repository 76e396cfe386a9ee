// merge: the results folders of a sharded run's shares (run --shard I/N,
// result/shard.h) joined into one folder in the whole list's order, then
// reported as `report` does: the same verdicts, JUnit and HTML as one run
// of the whole list. Every share is checked before anything is written;
// scenario folders are hard-linked where the file system allows, else copied.
#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/system.h"
#include "core/files.h"
#include "result/shard.h"

namespace pgha {
namespace fs = std::filesystem;
namespace {

Status CopyFolder(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::create_hard_links, ec);
  if (!ec) return Status::Ok();
  fs::remove_all(to, ec);
  fs::copy(from, to, fs::copy_options::recursive, ec);
  return ec ? Failed("cannot copy " + from + " to " + to + ": " + ec.message()) : Status::Ok();
}

// The output folder must be new (or empty): a merge never mixes with older files.
Status CheckOutput(const std::string& out) {
  std::error_code ec;
  if (fs::exists(out, ec) && !(fs::is_directory(out, ec) && fs::is_empty(out, ec)))
    return InvalidInput("--output " + out + " exists and is not empty: name a new folder");
  return CheckWritableFolder(out, 1 << 20);
}

}  // namespace

int RunMerge(const GlobalOptions& g, const MergeCommandOptions& o) {
  std::vector<ShareRecord> shares;
  for (const auto& dir : o.dirs) {
    auto r = ReadShareRecord(dir);
    if (!r.ok()) {
      PrintError(r.status().message());
      return 2;
    }
    shares.push_back(std::move(*r));
  }
  auto order = MergeOrder(shares);
  if (!order.ok()) {
    PrintError(order.status().message());
    return 2;
  }
  if (Status s = CheckOutput(o.output); !s.ok()) {
    PrintError(s.message());
    return 2;
  }
  std::vector<std::string> folders;
  for (const auto& [dir, folder] : *order) {
    if (Status s = CopyFolder(dir + "/" + folder, o.output + "/" + folder); !s.ok()) {
      PrintError(s.message());
      return 3;
    }
    folders.push_back(folder);
  }
  const nlohmann::json run = {{"format", 1}, {"scenarios", folders}, {"merged_from", o.dirs}};
  if (Status s = WriteFileAtomic(o.output + "/run.json", run.dump(2) + "\n"); !s.ok()) {
    PrintError(s.message());
    return 3;
  }
  fmt::print(stderr, "pgha-chaos: merged {} scenarios from {} folders into {}\n", folders.size(), o.dirs.size(),
             o.output);
  ReportCommandOptions report;
  report.dir = o.output;
  report.ci = o.ci;
  return RunReport(g, report);
}

}  // namespace pgha
