// Fault modes: a way to make the sandbox misbehave for chosen requests, so clients can be tested
// against what real networks and servers do. A fault is chosen per request, by the request's
// `Sandbox-Fault: NAME[=VALUE]` header or by a queue filled through `POST /sandbox/faults`.
#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>

#include <httplib.h>

#include "wechatpay/json.hpp"

namespace wechatpay::sandbox {

enum class FaultKind {
  kNone,
  kDelay,             // wait `delay` before answering normally
  kReset,             // send half the body, then reset the connection (TCP RST)
  kTruncate,          // send half the body, then close (Content-Length not met)
  kServerError,       // 500 (or `status`) SYSTEM_ERROR
  kTooManyRequests,   // 429 FREQUENCY_LIMITED
  kBadSignature,      // a signature that does not match the body
  kSkewedTimestamp,   // signed correctly, but 10 minutes in the past
  kUnknownSerial,     // signed, naming a serial the client does not know
  kMissingHeaders,    // no Wechatpay-* headers at all
  kWrongContentType,  // the body labelled text/html
  kWrongHash,         // a bill answer's hash_value does not match the bill
  // Not per request: the whole listener goes away for `delay`, then returns (outage.hpp).
  kRefuseConnections,  // nothing listens: connections are refused
  kResetConnections,   // connections are accepted, then reset before a byte is read
};

struct Fault {
  FaultKind kind = FaultKind::kNone;
  std::chrono::milliseconds delay{1000};
  int status = 500;
  int retry_after = -1;  // too_many_requests=SECONDS: the answer's Retry-After
};

// "delay", "reset", "truncate", "server_error", "too_many_requests", "bad_signature",
// "skewed_timestamp", "unknown_serial", "missing_headers", "wrong_content_type", "wrong_hash",
// "refuse_connections", "reset_connections".
std::string_view fault_name(FaultKind kind);
bool is_outage(FaultKind kind);

// "NAME" or "NAME=VALUE" (VALUE: milliseconds for delay and the *_connections outages, status
// for server_error, Retry-After seconds for too_many_requests).
// std::invalid_argument naming the problem otherwise.
Fault parse_fault(std::string_view text);

class FaultQueue {
 public:
  // Applies `fault` to the next `count` requests whose path starts with `path_prefix`.
  void add(Fault fault, std::string path_prefix, int count);
  // This request's fault: its Sandbox-Fault header, else the first queued match (consumed).
  Fault take(const httplib::Request& request);
  void clear();
  // [{"mode": ..., "path": ..., "remaining": ...}, ...]
  Json describe() const;

 private:
  struct Entry {
    Fault fault;
    std::string path_prefix;
    int remaining;
  };
  mutable std::mutex mutex_;
  std::deque<Entry> entries_;
};

}  // namespace wechatpay::sandbox
