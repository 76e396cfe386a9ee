// Observer: samples Patroni's view of the cluster (GET /cluster, asking the
// member that answered last first, so a frozen member costs one timeout at
// most once) and HAProxy's primary backend every observe_interval, on its
// own thread, into the Recorder. Each call is bounded by `call_timeout`.
// Stop() joins the thread.
#pragma once

#include <atomic>
#include <thread>

#include "cluster/cluster_plan.h"
#include "observe/http_client.h"
#include "run/recorder.h"

namespace pgha {

class Observer {
 public:
  Observer(const ClusterPlan& plan, HttpClient& http, Clock& clock, Recorder& rec, Duration interval)
      : plan_(plan), http_(http), clock_(clock), rec_(rec), interval_(interval) {}
  ~Observer() { Stop(); }
  void Start();
  void Stop();
  // One sample, taken now (also used by the runner to resolve targets).
  ObserverSample SampleNow();

 private:
  void Loop();
  const ClusterPlan& plan_;
  HttpClient& http_;
  Clock& clock_;
  Recorder& rec_;
  Duration interval_;
  Duration call_timeout_ = std::chrono::milliseconds(300);
  std::atomic<size_t> preferred_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace pgha
