// Observer: samples Patroni's view of the cluster (GET /cluster, asking the
// member that answered last first, so a frozen member costs one timeout at
// most once) and, through its service kind's probe, which servers the
// router behind the read-write endpoint sends writes to, every interval,
// on its own thread, into the Recorder. Each call is bounded by the probe
// context's call_timeout. Stop() joins the thread; SampleNow() may be
// called from the runner's thread meanwhile (it only reads the plan).
#pragma once

#include <atomic>
#include <thread>

#include "history/recorder.h"
#include "services/service.h"

namespace pgha {

class Observer {
 public:
  Observer(ProbeContext probe, Clock& clock, Recorder& rec, Duration interval)
      : probe_(probe), clock_(clock), rec_(rec), interval_(interval) {}
  ~Observer() { Stop(); }
  void Start();
  void Stop();
  // One sample, taken now (also used by the runner to resolve targets).
  ObserverSample SampleNow();

 private:
  void Loop();
  void SampleRouter(ObserverSample* s);
  ProbeContext probe_;
  Clock& clock_;
  Recorder& rec_;
  Duration interval_;
  std::atomic<size_t> preferred_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace pgha
