#include "observe/leader_watch.h"

#include <nlohmann/json.hpp>

#include <cstring>

namespace pgha {

namespace {
const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
}  // namespace

std::string Base64Encode(const std::string& in) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : in) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(acc >> bits) & 63];
    }
  }
  if (bits > 0) out += kAlphabet[(acc << (6 - bits)) & 63];
  while (out.size() % 4) out += '=';
  return out;
}

std::string Base64Decode(const std::string& in) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    const char* at = c ? std::strchr(kAlphabet, c) : nullptr;
    if (!at) break;
    acc = (acc << 6) | static_cast<uint32_t>(at - kAlphabet);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 255);
    }
  }
  return out;
}

std::string LeaderWatch::RequestBody(const std::string& key, int64_t start_revision) {
  nlohmann::json create{{"key", Base64Encode(key)}};
  if (start_revision > 0) create["start_revision"] = std::to_string(start_revision);
  return nlohmann::json{{"create_request", create}}.dump();
}

std::vector<LeaderWatch::Change> LeaderWatch::ParseLine(const std::string& line, int64_t t_ns, int64_t* next_revision) {
  std::vector<Change> out;
  const auto j = nlohmann::json::parse(line, nullptr, false);
  if (!j.is_object() || !j.contains("result") || !j["result"].is_object()) return out;
  // The first answer says the revision the watch started at: a stream
  // opened again later starts after it, so nothing in between is missed.
  const auto header = j["result"].value("header", nlohmann::json::object());
  if (*next_revision == 0 && header.is_object() && header.contains("revision") && header["revision"].is_string())
    *next_revision = std::atoll(header["revision"].get<std::string>().c_str()) + 1;
  const auto& events = j["result"].value("events", nlohmann::json::array());
  if (!events.is_array()) return out;
  for (const auto& e : events) {
    if (!e.is_object() || !e.contains("kv") || !e["kv"].is_object()) continue;
    const auto& kv = e["kv"];
    // The gateway writes int64 as strings; the type is left out for a PUT.
    const std::string rev = kv.value("mod_revision", std::string("0"));
    const int64_t r = std::atoll(rev.c_str());
    if (r >= *next_revision) *next_revision = r + 1;
    const bool gone = e.value("type", std::string("PUT")) == "DELETE";
    out.push_back({r,
                   {t_ns, "etcd watch", "", gone ? kEventLeaderKeyGone : kEventLeaderKeySet,
                    gone ? "" : Base64Decode(kv.value("value", std::string()))}});
  }
  return out;
}

void LeaderWatch::Start() {
  if (!threads_.empty()) return;
  stop_.store(false);
  for (size_t i = 0; i < etcd_.size(); ++i) threads_.emplace_back(&LeaderWatch::Loop, this, i);
}

void LeaderWatch::Stop() {
  stop_.store(true);
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

void LeaderWatch::Record(const Change& c) {
  std::lock_guard<std::mutex> lock(mu_);
  if (recorded_.insert(c.revision).second) rec_.AddEvent(c.event);
}

void LeaderWatch::Loop(size_t member) {
  int64_t next_revision = 0;  // 0: from now on
  std::string pending;
  while (!stop_.load()) {
    pending.clear();
    Status s = http_.PostStream(etcd_[member], "/v3/watch", RequestBody(key_, next_revision), idle_,
                                [&](const std::string& data) {
                                  const int64_t t = rec_.NowNs();
                                  pending += data;
                                  for (size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
                                    for (const auto& c : ParseLine(pending.substr(0, nl), t, &next_revision)) Record(c);
                                    pending.erase(0, nl + 1);
                                  }
                                  return !stop_.load();
                                });
    // A quiet stream times out and is opened again at once; a member that
    // fails is tried again after a pause, so a dead one is not hammered.
    if (s.code() != StatusCode::kTimeout)
      for (int i = 0; i < 10 && !stop_.load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace pgha
