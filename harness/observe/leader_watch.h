// LeaderWatch: a watch on Patroni's leader key in etcd (the v3 watch over
// etcd's gRPC gateway, POST /v3/watch) on every etcd member at once, one
// thread each, recording each change once, as a ClusterEvent stamped when
// the first member delivered it: "leader key gone" (deleted, or expired
// with its lease) and "leader key set" (the holder's name). A member cut
// off from the majority delivers late or never; the others are on time.
// Each stream is re-opened every `idle` without news (and after a failure,
// after a pause) from the revision after the last event it delivered, so
// no change is missed; Stop() returns within about `idle`.
// Thread-safety: Start/Stop from one thread; events go to the Recorder.
#pragma once

#include <atomic>
#include <mutex>
#include <set>
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
  struct Change {
    int64_t revision;
    ClusterEvent event;
  };
  static std::string RequestBody(const std::string& key, int64_t start_revision);
  static std::vector<Change> ParseLine(const std::string& line, int64_t t_ns, int64_t* next_revision);

 private:
  void Loop(size_t member);
  // Records a change unless another member delivered it first.
  void Record(const Change& c);
  HttpClient& http_;
  Recorder& rec_;
  std::vector<HttpTarget> etcd_;
  std::string key_;
  Duration idle_;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::set<int64_t> recorded_;  // revisions
};

// Base64 (RFC 4648, with padding), as etcd's gateway writes keys and values.
std::string Base64Encode(const std::string& in);
std::string Base64Decode(const std::string& in);  // stops at the first character outside the alphabet

}  // namespace pgha
