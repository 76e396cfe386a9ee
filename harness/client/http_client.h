// HttpClient: plain HTTP/1.1 to the cluster's services (Patroni's REST API,
// etcd's gateway, HAProxy's stats page), every call under its own timeout. A refused
// connection or a timeout is an Unavailable/Timeout Status, never an
// exception. FakeHttpClient (tests/fakes) answers from a table.
// Thread-safety: HttplibClient opens a connection per call; safe to share.
#pragma once

#include <string>

#include "core/clock.h"
#include "core/status.h"

namespace pgha {

struct HttpResponse {
  int status = 0;
  std::string body;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual Result<HttpResponse> Request(const std::string& method, const std::string& host, int port,
                                       const std::string& path, const std::string& body, Duration timeout) = 0;
  Result<HttpResponse> Get(const std::string& host, int port, const std::string& path, Duration timeout) {
    return Request("GET", host, port, path, "", timeout);
  }
};

class HttplibClient : public HttpClient {
 public:
  Result<HttpResponse> Request(const std::string& method, const std::string& host, int port, const std::string& path,
                               const std::string& body, Duration timeout) override;
};

}  // namespace pgha
