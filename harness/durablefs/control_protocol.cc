#include "durablefs/control_protocol.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/text.h"

namespace pgha {
namespace {

const std::set<std::string> kVerbs = {"stats", "mark", "cut", "sync", "lie", "latency", "errors"};

Result<std::set<DiskOp>> ParseOps(const std::string& text) {
  std::set<DiskOp> ops;
  for (const auto& word : Split(text, ',')) {
    if (word == "read")
      ops.insert(DiskOp::kRead);
    else if (word == "write")
      ops.insert(DiskOp::kWrite);
    else if (word == "fsync")
      ops.insert(DiskOp::kFsync);
    else
      return InvalidInput(fmt::format("unknown operation \"{}\" (read, write or fsync)", word));
  }
  return ops;
}

Result<double> Number(const std::map<std::string, std::string>& args, const std::string& key, double fallback) {
  auto it = args.find(key);
  if (it == args.end()) return fallback;
  try {
    size_t used = 0;
    const double v = std::stod(it->second, &used);
    if (used == it->second.size() && std::isfinite(v) && v >= 0) return v;
  } catch (...) {}
  return InvalidInput(fmt::format("{}={} is not a number of at least 0", key, it->second));
}

}  // namespace

std::string ControlRequest::Format() const {
  std::string line = verb;
  for (const auto& [k, v] : args) line += " " + k + "=" + v;
  return line;
}

Result<ControlRequest> ParseControlRequest(const std::string& line) {
  const auto words = Split(Trim(line), ' ');
  if (words.empty() || words[0].empty()) return InvalidInput("an empty request");
  ControlRequest r;
  r.verb = words[0];
  if (!kVerbs.count(r.verb)) return InvalidInput(fmt::format("unknown verb \"{}\"", Shorten(r.verb)));
  for (size_t i = 1; i < words.size(); ++i) {
    if (words[i].empty()) continue;
    if (words[i] == "off") {
      r.args["off"] = "1";
      continue;
    }
    const auto eq = words[i].find('=');
    if (eq == std::string::npos || eq == 0)
      return InvalidInput(fmt::format("\"{}\" is not key=value", Shorten(words[i])));
    r.args[words[i].substr(0, eq)] = words[i].substr(eq + 1);
  }
  return r;
}

Result<std::map<std::string, std::string>> ParseControlReply(const std::string& line) {
  const std::string text = Trim(line);
  if (text.rfind("error", 0) == 0) return Failed("the durable file system refused: " + Trim(text.substr(5)));
  if (text.rfind("ok", 0) != 0) return Failed(fmt::format("an unreadable reply \"{}\"", Shorten(text)));
  std::map<std::string, std::string> words;
  for (const auto& w : Split(text.substr(2), ' '))
    if (const auto eq = w.find('='); eq != std::string::npos) words[w.substr(0, eq)] = w.substr(eq + 1);
  return words;
}

std::string FormatReply(const std::map<std::string, std::string>& words) {
  std::string line = "ok";
  for (const auto& [k, v] : words) line += " " + k + "=" + v;
  return line;
}

Status DiskFaults::Apply(const ControlRequest& r) {
  const bool off = r.args.count("off") > 0;
  const std::string ops_text = r.args.count("ops") ? r.args.at("ops") : "read,write,fsync";
  auto ops = ParseOps(ops_text);
  if (!ops.ok()) return ops.status();
  if (r.verb == "lie") {
    fsync_lies = !off && (!r.args.count("on") || r.args.at("on") != "0");
    return Status::Ok();
  }
  if (r.verb == "latency") {
    if (off) return (delayed = false, Status::Ok());
    auto ms = Number(r.args, "ms", 0);
    auto jitter = Number(r.args, "jitter_ms", 0);
    if (!ms.ok()) return ms.status();
    if (!jitter.ok()) return jitter.status();
    const std::string dist = r.args.count("distribution") ? r.args.at("distribution") : "uniform";
    auto d = DistributionFromName(dist);
    if (!d) return InvalidInput(fmt::format("unknown distribution \"{}\"", Shorten(dist)));
    delay = DelayModel{*ms, *jitter, *d, 0, 0};
    delay_ops = *ops;
    delayed = true;
    return Status::Ok();
  }
  if (r.verb == "errors") {
    if (off) return (error_share = 0, Status::Ok());
    auto share = Number(r.args, "share", 1);
    if (!share.ok()) return share.status();
    if (*share > 1) return InvalidInput("share is a fraction from 0 to 1");
    error_share = *share;
    error_ops = *ops;
    return Status::Ok();
  }
  return InvalidInput(fmt::format("\"{}\" is not a disk fault", r.verb));
}

double DiskFaults::DelayMs(DiskOp op, std::mt19937_64& rng) const {
  if (!delayed || !delay_ops.count(op)) return 0;
  return delay.SampleMs(rng);
}

bool DiskFaults::Fails(DiskOp op, std::mt19937_64& rng) const {
  if (error_share <= 0 || !error_ops.count(op)) return false;
  return std::uniform_real_distribution<double>(0, 1)(rng) < error_share;
}

void LatencySamples::Add(double us) {
  if (kept_.size() < kMax) kept_.push_back(us);
  ++total_;
}

double LatencySamples::Percentile(double p) const {
  if (kept_.empty()) return 0;
  std::vector<double> sorted = kept_;
  const size_t k = std::min(sorted.size() - 1, static_cast<size_t>(p / 100.0 * static_cast<double>(sorted.size())));
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<long>(k), sorted.end());
  return sorted[k];
}

void LatencySamples::Clear() {
  kept_.clear();
  total_ = 0;
}

}  // namespace pgha
