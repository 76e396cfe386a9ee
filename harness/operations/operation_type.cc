#include "operations/operation_type.h"

#include <fmt/format.h>

#include <algorithm>

#include "services/targets.h"

namespace pgha {

Status OperationUndo::Run(OperationEnv& env) const {
  Status first;
  for (auto it = steps_.rbegin(); it != steps_.rend(); ++it) {
    Status s = (*it)(env);
    if (!s.ok() && first.ok()) first = s;
  }
  return first;
}

namespace {

Duration CallTimeout(const OperationEnv& env) {
  const Duration left = env.deadline - env.clock.Now();
  return std::clamp<Duration>(left, std::chrono::milliseconds(100), std::chrono::seconds(10));
}

}  // namespace

Status PatroniCall(OperationEnv& env, const std::string& member, const std::string& method, const std::string& path,
                   const std::string& request, std::string* body) {
  const HostPlan* host = env.plan.Find(member);
  if (!host) return Failed(fmt::format("no member {} in the cluster", member));
  auto r = env.http.Request(method, PatroniApi(env.plan, *host), path, request, CallTimeout(env));
  if (!r.ok()) return Failed(fmt::format("{} {} on {}: {}", method, path, member, r.status().message()));
  if (body) *body = r->body;
  if (r->status < 200 || r->status >= 300)
    return Failed(
        fmt::format("{} {} on {}: Patroni answered {}: {}", method, path, member, r->status, r->body.substr(0, 200)));
  return Status::Ok();
}

Status PollPatroni(OperationEnv& env, const std::string& member, const std::string& path,
                   const std::function<bool(const std::string& body)>& done, const std::string& waiting_for) {
  std::string last_error;
  while (true) {
    std::string body;
    Status s = PatroniCall(env, member, "GET", path, "", &body);
    if (s.ok() && done(body)) return Status::Ok();
    if (!s.ok()) last_error = s.message();
    if (env.clock.Now() >= env.deadline)
      return Failed(fmt::format("the step's timeout passed while waiting for {}{}", waiting_for,
                                last_error.empty() ? "" : " (last: " + last_error + ")"));
    env.clock.SleepFor(std::chrono::milliseconds(250));
  }
}

OperationResult OperationFailed(Status status) {
  OperationResult r;
  r.status = std::move(status);
  return r;
}

OperationResult OperationDone(std::string detail) {
  OperationResult r;
  r.detail = std::move(detail);
  return r;
}

}  // namespace pgha
