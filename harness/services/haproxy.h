// HAProxy 2.6 as a router (haproxy.cc): fixtures/haproxy.cfg defines a
// "primary" backend (Patroni's /primary check: read-write clients) and a
// "replicas" backend (/replica: read-only clients) and a stats page; the
// backend names are this file's contract with that template. Its probe
// reads the stats CSV (GET /;csv), parsed by a pure function.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace pgha {

struct HaproxyServer {
  std::string backend;  // "primary", "replicas"
  std::string server;   // host name in the topology
  std::string status;   // "UP", "DOWN", "UP 1/2", "DOWN 1/2", "MAINT", "no check"
  bool Up() const { return status == "UP" || status.rfind("UP ", 0) == 0 || status == "no check"; }
};

Result<std::vector<HaproxyServer>> ParseHaproxyCsv(const std::string& body);

}  // namespace pgha
