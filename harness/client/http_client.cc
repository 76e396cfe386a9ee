#include "client/http_client.h"

#include <fmt/format.h>
#include <httplib.h>

namespace pgha {

Result<HttpResponse> HttplibClient::Request(const std::string& method, const std::string& host, int port,
                                            const std::string& path, const std::string& body, Duration timeout) {
  httplib::Client client(host, port);
  auto usec = std::chrono::duration_cast<std::chrono::microseconds>(timeout).count();
  client.set_connection_timeout(usec / 1000000, usec % 1000000);
  client.set_read_timeout(usec / 1000000, usec % 1000000);
  client.set_write_timeout(usec / 1000000, usec % 1000000);
  client.set_keep_alive(false);
  client.set_url_encode(false);  // paths are ours; HAProxy needs "/;csv" as is
  if (method != "GET" && method != "POST" && method != "DELETE" && method != "OPTIONS")
    return InvalidInput("unsupported HTTP method " + method);
  httplib::Result res = method == "GET"      ? client.Get(path)
                        : method == "POST"   ? client.Post(path, body, "application/json")
                        : method == "DELETE" ? client.Delete(path)
                                             : client.Options(path);
  if (!res) {
    const auto err = res.error();
    const std::string what = fmt::format("{} http://{}:{}{}: {}", method, host, port, path, httplib::to_string(err));
    if (err == httplib::Error::Read || err == httplib::Error::ConnectionTimeout) return Timeout(what);
    return Unavailable(what);
  }
  return HttpResponse{res->status, res->body};
}

}  // namespace pgha
