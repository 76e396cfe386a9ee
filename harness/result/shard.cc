#include "result/shard.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "core/files.h"
#include "core/text.h"

namespace pgha {
namespace fs = std::filesystem;

Result<ShardSpec> ParseShard(const std::string& text) {
  const auto parts = Split(text, '/');
  const auto i = parts.size() == 2 ? ParseInt(parts[0]) : std::nullopt;
  const auto n = parts.size() == 2 ? ParseInt(parts[1]) : std::nullopt;
  if (!i || !n || *n < 1 || *n > 1000 || *i < 1 || *i > *n)
    return InvalidInput("--shard " + Shorten(text) +
                        ": give it as I/N, the I-th of N shares, 1 <= I <= N <= 1000 (e.g. --shard 2/4)");
  return ShardSpec{*i, *n};
}

std::vector<size_t> ShardIndices(const std::vector<std::string>& folders,
                                 const std::map<std::string, double>& durations, ShardSpec s) {
  std::vector<size_t> mine;
  if (durations.empty()) {
    for (size_t k = 0; k < folders.size(); ++k)
      if (static_cast<int>(k % static_cast<size_t>(s.count)) == s.index - 1) mine.push_back(k);
    return mine;
  }
  std::vector<double> known;
  for (const auto& [_, d] : durations) known.push_back(d);
  std::sort(known.begin(), known.end());
  const double median = known[known.size() / 2];
  std::vector<std::pair<double, size_t>> by_length;  // longest first; ties in the list's order
  for (size_t k = 0; k < folders.size(); ++k) {
    auto d = durations.find(folders[k]);
    by_length.push_back({d == durations.end() ? median : d->second, k});
  }
  std::stable_sort(by_length.begin(), by_length.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<double> load(static_cast<size_t>(s.count), 0.0);
  for (const auto& [d, k] : by_length) {
    const size_t least = static_cast<size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    load[least] += d;
    if (static_cast<int>(least) == s.index - 1) mine.push_back(k);
  }
  std::sort(mine.begin(), mine.end());
  return mine;
}

std::map<std::string, double> RecordedDurations(const std::string& results_dir) {
  std::map<std::string, double> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(results_dir, ec)) {
    const std::string name = e.path().filename().string();
    if (auto r = ReadTextFile((e.path() / "result.json").string()); r.ok()) {
      auto j = nlohmann::json::parse(*r, nullptr, false);
      if (j.is_object() && j["wall_s"].is_number()) out[name] = j["wall_s"].get<double>();
    } else if (auto t = ReadTextFile((e.path() / "trials.json").string()); t.ok()) {
      auto j = nlohmann::json::parse(*t, nullptr, false);
      double sum = 0;
      if (j.is_object() && j["runs"].is_array())
        for (const auto& run : j["runs"])
          if (run.is_object() && run["wall_s"].is_number()) sum += run["wall_s"].get<double>();
      if (sum > 0) out[name] = sum;
    }
  }
  return out;
}

Result<ShareRecord> ReadShareRecord(const std::string& dir) {
  auto text = ReadTextFile(dir + "/run.json");
  if (!text.ok()) return InvalidInput(dir + " has no run.json: not a results folder of `pgha-chaos run`");
  auto j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j["scenarios"].is_array())
    return InvalidInput(dir + "/run.json is not a run's (no scenarios list)");
  ShareRecord r{dir, {}, {}, {}};
  for (const auto& f : j["scenarios"])
    if (f.is_string()) r.folders.push_back(f.get<std::string>());
  if (const auto& s = j["shard"]; s.is_object()) {
    r.shard = {s.value("index", 1), s.value("count", 1)};
    if (s["all"].is_array())
      for (const auto& f : s["all"])
        if (f.is_string()) r.all.push_back(f.get<std::string>());
  }
  return r;
}

Result<std::vector<std::pair<std::string, std::string>>> MergeOrder(const std::vector<ShareRecord>& shares) {
  std::map<std::string, std::string> where;  // folder -> the share's dir
  std::map<int, std::string> seen_index;
  for (const auto& s : shares) {
    if (s.shard.active() != shares.front().shard.active())
      return InvalidInput(fmt::format("{} is {} and {} is not: merge the shares of one sharded run, or whole runs",
                                      shares.front().dir, shares.front().shard.active() ? "a share" : "a whole run",
                                      s.dir));
    if (s.shard.active()) {
      if (s.all != shares.front().all || s.shard.count != shares.front().shard.count)
        return InvalidInput(fmt::format("{} and {} are shares of different runs (their run.json lists differ)",
                                        shares.front().dir, s.dir));
      if (auto [it, fresh] = seen_index.emplace(s.shard.index, s.dir); !fresh)
        return InvalidInput(
            fmt::format("{} and {} are both share {}/{}", it->second, s.dir, s.shard.index, s.shard.count));
    }
    for (const auto& f : s.folders)
      if (auto [it, fresh] = where.emplace(f, s.dir); !fresh)
        return InvalidInput(fmt::format("{} is in both {} and {}", f, it->second, s.dir));
  }
  std::vector<std::string> order = shares.front().all;
  if (shares.front().shard.active()) {
    for (int i = 1; i <= shares.front().shard.count; ++i)
      if (!seen_index.count(i))
        return InvalidInput(fmt::format("share {}/{} is missing: give the results folders of all {} shares", i,
                                        shares.front().shard.count, shares.front().shard.count));
  } else {
    for (const auto& s : shares) order.insert(order.end(), s.folders.begin(), s.folders.end());
  }
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& f : order) {
    auto it = where.find(f);
    if (it == where.end()) return InvalidInput(f + " is in no share's results (was a share cut short?)");
    out.push_back({it->second, f});
  }
  return out;
}

}  // namespace pgha
