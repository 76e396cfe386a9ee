// HttpClient: HTTP/1.1 to the cluster's services (Patroni's REST API,
// etcd's gateway, HAProxy's stats page), plain or over TLS, every call
// under its own timeout. A refused connection, a failed TLS handshake or a
// timeout is an Unavailable/Timeout Status, never an exception.
// FakeHttpClient (tests/fakes) answers from a table.
// Thread-safety: HttplibClient opens a connection per call; safe to share.
#pragma once

#include <functional>
#include <string>

#include "core/clock.h"
#include "core/status.h"

namespace pgha {

// Where a request goes. With `ca_file` set the connection is HTTPS and the
// server's certificate must chain to that CA and name `host`; with
// `cert_file` and `key_file` the client presents its own certificate.
struct HttpTarget {
  std::string host;
  int port = 0;
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  bool tls() const { return !ca_file.empty(); }
  std::string Url(const std::string& path) const;  // "https://10.77.0.10:8008/cluster"
};

struct HttpResponse {
  int status = 0;
  std::string body;
  std::string date = "";  // the Date header: the server's wall clock, to the second ("" without one)
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual Result<HttpResponse> Request(const std::string& method, const HttpTarget& target, const std::string& path,
                                       const std::string& body, Duration timeout) = 0;
  Result<HttpResponse> Get(const HttpTarget& target, const std::string& path, Duration timeout) {
    return Request("GET", target, path, "", timeout);
  }
  // A POST whose answer is a stream (etcd's watch): each piece of the body
  // goes to on_data as it arrives. Ends when on_data returns false, the
  // server closes, or nothing arrives for `idle` (a Timeout).
  virtual Status PostStream(const HttpTarget& target, const std::string& path, const std::string& body, Duration idle,
                            const std::function<bool(const std::string&)>& on_data) {
    (void)target, (void)path, (void)body, (void)idle, (void)on_data;
    return Unavailable("this HTTP client cannot stream");
  }
};

class HttplibClient : public HttpClient {
 public:
  Result<HttpResponse> Request(const std::string& method, const HttpTarget& target, const std::string& path,
                               const std::string& body, Duration timeout) override;
  Status PostStream(const HttpTarget& target, const std::string& path, const std::string& body, Duration idle,
                    const std::function<bool(const std::string&)>& on_data) override;
};

}  // namespace pgha
