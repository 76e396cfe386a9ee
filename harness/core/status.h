// Status and Result<T>: failures as values on the run path.
//
// A Status is ok or carries a code and a message meant for the user (what
// went wrong, and where possible the fix). Result<T> holds a value or a
// failed Status. Exceptions are reserved for bugs; a dead primary, a command
// that timed out or a refused connection are ordinary Results.
// Thread-safety: plain values, safe to copy between threads.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace pgha {

enum class StatusCode {
  kOk = 0,
  kInvalidInput,  // the user's input is wrong (topology, flags, scenario)
  kEnvironment,   // the machine lacks something (root, package, kernel)
  kTimeout,       // a deadline passed
  kCancelled,     // Ctrl-C / SIGTERM
  kUnavailable,   // a service did not answer (connection refused, ...)
  kFailed,        // an operation ran and failed
};

class Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Error(StatusCode code, std::string message) {
    Status s;
    s.code_ = code;
    s.message_ = std::move(message);
    return s;
  }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // Prefixes the message with context ("etcd on node1: " + message).
  Status WithContext(const std::string& context) const {
    if (ok()) return *this;
    return Error(code_, context + ": " + message_);
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidInput(std::string m) { return Status::Error(StatusCode::kInvalidInput, std::move(m)); }
inline Status EnvironmentError(std::string m) { return Status::Error(StatusCode::kEnvironment, std::move(m)); }
inline Status Timeout(std::string m) { return Status::Error(StatusCode::kTimeout, std::move(m)); }
inline Status Cancelled(std::string m) { return Status::Error(StatusCode::kCancelled, std::move(m)); }
inline Status Unavailable(std::string m) { return Status::Error(StatusCode::kUnavailable, std::move(m)); }
inline Status Failed(std::string m) { return Status::Error(StatusCode::kFailed, std::move(m)); }

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace pgha
