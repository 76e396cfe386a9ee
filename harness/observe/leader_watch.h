// LeaderWatch: a watch on Patroni's leader key in etcd (the v3 watch over
// etcd's gRPC gateway, POST /v3/watch), on its own thread, recording each
// change as a ClusterEvent stamped when it was received: "leader key gone"
// (deleted, or expired with its lease) and "leader key set" (the holder's
// name). The stream is re-opened every `idle` without news, and on another
// etcd member when one fails, from the revision after the last event seen,
// so no change is missed; Stop() returns within about `idle`.
// Thread-safety: Start/Stop from one thread; events go to the Recorder.
#pragma once

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "client/http_client.h"
#include "history/recorder.h"

namespace pgha {

class LeaderWatch {
 public:
  LeaderWatch(HttpClient& http, Recorder& rec, std::vector<HttpTarget> etcd, std::string key,
              Duration idle = std::chrono::seconds(1))
      : http_(http), rec_(rec), etcd_(std::move(etcd)), key_(std::move(key)), idle_(idle) {}
  ~LeaderWatch() { Stop(); }
  void Start();
  void Stop();

  // The watch's request body, and the events of one line of its answer
  // (pure; `next_revision` is raised past each event). Public for tests.
  static std::string RequestBody(const std::string& key, int64_t start_revision);
  static std::vector<ClusterEvent> ParseLine(const std::string& line, int64_t t_ns, int64_t* next_revision);

 private:
  void Loop();
  HttpClient& http_;
  Recorder& rec_;
  std::vector<HttpTarget> etcd_;
  std::string key_;
  Duration idle_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// Base64 (RFC 4648, with padding), as etcd's gateway writes keys and values.
std::string Base64Encode(const std::string& in);
std::string Base64Decode(const std::string& in);  // stops at the first character outside the alphabet

}  // namespace pgha
