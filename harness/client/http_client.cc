#include "client/http_client.h"

#include <fmt/format.h>
#include <httplib.h>

#include <memory>

namespace pgha {

std::string HttpTarget::Url(const std::string& path) const {
  return fmt::format("{}://{}:{}{}", tls() ? "https" : "http", host, port, path);
}

namespace {

// A client for one call: every timeout (connect, read, write) is `timeout`.
std::unique_ptr<httplib::ClientImpl> MakeClient(const HttpTarget& t, Duration timeout) {
  std::unique_ptr<httplib::ClientImpl> c;
  if (!t.tls()) {
    c = std::make_unique<httplib::ClientImpl>(t.host, t.port);
  } else {
    auto ssl = t.cert_file.empty() ? std::make_unique<httplib::SSLClient>(t.host, t.port)
                                   : std::make_unique<httplib::SSLClient>(t.host, t.port, t.cert_file, t.key_file);
    ssl->set_ca_cert_path(t.ca_file.c_str());
    ssl->enable_server_certificate_verification(true);
    c = std::move(ssl);
  }
  auto usec = std::chrono::duration_cast<std::chrono::microseconds>(timeout).count();
  c->set_connection_timeout(usec / 1000000, usec % 1000000);
  c->set_read_timeout(usec / 1000000, usec % 1000000);
  c->set_write_timeout(usec / 1000000, usec % 1000000);
  c->set_keep_alive(false);
  return c;
}

// A failed call: a read or connect timeout is a Timeout, anything else Unavailable.
Status CallFailed(httplib::Error err, const std::string& what) {
  const std::string message = what + ": " + httplib::to_string(err);
  if (err == httplib::Error::Read || err == httplib::Error::ConnectionTimeout) return Timeout(message);
  return Unavailable(message);
}

}  // namespace

Result<HttpResponse> HttplibClient::Request(const std::string& method, const HttpTarget& target,
                                            const std::string& path, const std::string& body, Duration timeout) {
  if (method != "GET" && method != "POST" && method != "PATCH" && method != "DELETE" && method != "OPTIONS")
    return InvalidInput("unsupported HTTP method " + method);
  auto client = MakeClient(target, timeout);
  client->set_url_encode(false);  // paths are ours; HAProxy needs "/;csv" as is
  httplib::Result res = method == "GET"      ? client->Get(path)
                        : method == "POST"   ? client->Post(path, body, "application/json")
                        : method == "PATCH"  ? client->Patch(path, body, "application/json")
                        : method == "DELETE" ? client->Delete(path)
                                             : client->Options(path);
  if (!res) return CallFailed(res.error(), method + " " + target.Url(path));
  return HttpResponse{res->status, res->body, res->get_header_value("Date")};
}

Status HttplibClient::PostStream(const HttpTarget& target, const std::string& path, const std::string& body,
                                 Duration idle, const std::function<bool(const std::string&)>& on_data) {
  auto client = MakeClient(target, idle);
  httplib::Request req;
  req.method = "POST";
  req.path = path;
  req.body = body;
  req.set_header("Content-Type", "application/json");
  req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) { return on_data(std::string(data, n)); };
  httplib::Response res;
  httplib::Error err = httplib::Error::Success;
  if (client->send(req, res, err)) return Status::Ok();
  if (err == httplib::Error::Canceled) return Status::Ok();  // on_data said stop
  return CallFailed(err, "POST " + target.Url(path));
}

}  // namespace pgha
