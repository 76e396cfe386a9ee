// The files of one scenario's results folder.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/files.h"
#include "core/json_numbers.h"
#include "core/text.h"
#include "result/result_json.h"

#include <sstream>

#include "elle/elle_json.h"

namespace pgha {
using nlohmann::json;

Status WriteResultFiles(const ScenarioResult& r) {
  std::error_code ec;
  std::filesystem::create_directories(r.output_dir, ec);
  if (ec) return Failed("cannot create " + r.output_dir + ": " + ec.message());
  if (Status s = WriteFileAtomic(r.output_dir + "/result.json", ResultToJson(r).dump(2) + "\n"); !s.ok()) return s;
  std::string ops, samples, keys, events;
  for (const auto& op : r.history.ops) ops += OpToJson(op).dump() + "\n";
  for (const auto& e : r.history.events) events += EventToJson(e).dump() + "\n";
  for (const auto& o : r.history.observer) samples += SampleToJson(o).dump() + "\n";
  for (int64_t k : r.history.final_keys) keys += std::to_string(k) + "\n";
  if (Status s = WriteFileAtomic(r.output_dir + "/history.jsonl", ops); !s.ok()) return s;
  if (Status s = WriteFileAtomic(r.output_dir + "/observer.jsonl", samples); !s.ok()) return s;
  if (Status s = WriteFileAtomic(r.output_dir + "/events.jsonl", events); !s.ok()) return s;
  if (!r.history.txns.txns.empty()) {
    std::ostringstream elle_history;
    elle::WriteElleHistory(r.history.txns, elle_history);
    if (Status s = WriteFileAtomic(r.output_dir + "/" + kElleHistoryFile, elle_history.str()); !s.ok()) return s;
  }
  return WriteFileAtomic(r.output_dir + "/final_keys.txt", keys);
}

namespace {

// Each non-empty line of a file through `read`, which says what is wrong
// with a line ("" when nothing); the first wrong line is an error naming it.
Status ForEachLine(const std::string& path, const std::function<std::string(const std::string&)>& read) {
  std::ifstream in(path);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    const std::string wrong = read(line);
    if (!wrong.empty()) return InvalidInput(fmt::format("{}:{}: {}", path, number, wrong));
  }
  return Status::Ok();
}

// A JSON-lines file, each object through `add`.
Status ReadLines(const std::string& path, const std::function<void(const json&)>& add) {
  return ForEachLine(path, [&](const std::string& line) -> std::string {
    auto j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return "not a JSON object";
    if (auto at = FirstUnfitNumber(j)) return "the number at " + *at + " is out of range";
    try {
      add(j);
    } catch (const json::exception& e) {
      return e.what();
    }
    return "";
  });
}

// How many lines a file has (0 when it cannot be read): the ops vector is
// reserved once, where growing it by doubling held the old and the new
// copy at once (636 MB peak for 1.5 million ops).
size_t CountLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char buf[1 << 16];
  size_t lines = 0;
  while (in.read(buf, sizeof buf) || in.gcount() > 0) lines += std::count(buf, buf + in.gcount(), '\n');
  return lines;
}

Status ReadKeys(const std::string& path, std::set<int64_t>* keys) {
  return ForEachLine(path, [&](const std::string& line) -> std::string {
    auto k = ParseInt64(line);
    if (!k) return "not a key";
    keys->insert(*k);
    return "";
  });
}

}  // namespace

Result<ScenarioResult> ReadResultFolder(const std::string& dir) {
  auto text = ReadTextFile(dir + "/result.json");
  if (!text.ok()) return InvalidInput(dir + ": no result.json (is it a folder written by `pgha-chaos run`?)");
  auto j = json::parse(*text, nullptr, false);
  if (j.is_discarded()) return InvalidInput(dir + "/result.json is not JSON");
  if (auto at = FirstUnfitNumber(j))
    return InvalidInput(fmt::format("{}/result.json: the number at {} is out of range", dir, *at));
  auto r = ResultFromJson(j);
  if (!r.ok()) return InvalidInput(fmt::format("{}/result.json: {}", dir, r.status().message()));
  r->output_dir = dir;
  History& h = r->history;
  h.ops.reserve(CountLines(dir + "/history.jsonl"));
  if (Status s = ReadLines(dir + "/history.jsonl", [&](const json& o) { h.ops.push_back(OpFromJson(o)); }); !s.ok())
    return s;
  if (Status s = ReadLines(dir + "/observer.jsonl", [&](const json& o) { h.observer.push_back(SampleFromJson(o)); });
      !s.ok())
    return s;
  // events.jsonl: since format 1's later runs; an earlier folder has none.
  if (Status s = ReadLines(dir + "/events.jsonl", [&](const json& o) { h.events.push_back(EventFromJson(o)); });
      !s.ok())
    return s;
  if (Status s = ReadKeys(dir + "/final_keys.txt", &h.final_keys); !s.ok()) return s;
  // history.elle.json: the list-append transactions, when the run had some.
  if (std::filesystem::exists(dir + "/" + kElleHistoryFile)) {
    auto text = ReadTextFile(dir + "/" + kElleHistoryFile);
    auto txns = text.ok() ? elle::ParseElleHistory(*text) : Result<elle::ListAppendHistory>(text.status());
    if (!txns.ok()) return InvalidInput(dir + "/" + kElleHistoryFile + ": " + txns.status().message());
    h.txns = std::move(*txns);
  }
  return r;
}

}  // namespace pgha
