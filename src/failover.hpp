// The circuit breaker behind FailoverConfig (failover.hpp): which host an attempt goes to, what
// each attempt's outcome says about the primary, and the probe that brings traffic back.
// Internal; one per client, used by the client's "retry" middleware.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "wechatpay/failover.hpp"
#include "wechatpay/http.hpp"
#include "wechatpay/log.hpp"

namespace wechatpay::detail {

class Failover : public std::enable_shared_from_this<Failover> {
 public:
  enum class Host { primary, backup };
  // Sends one probe to the primary and reports whether it answered (status below 500).
  using Probe = std::function<void(std::function<void(bool answered)>)>;

  // `primary` and `backup` are base URIs with a trailing '/'.
  Failover(std::string primary, std::string backup, const FailoverConfig& config, Logger logger,
           Probe probe);

  // Whether `url` is on the primary (failover applies only to those requests).
  bool covers(const std::string& url) const;
  // The host for a request's first attempt: the backup while the circuit is open. May start a
  // probe (on this thread: it is signed here).
  Host first_host();
  // `request`, moved to `host` (its URL and base_uri option).
  Request on(Host host, Request request) const;
  // One attempt's outcome on `host`: whether it failed in the transport (no HTTP answer).
  void record(Host host, bool transport_failure);
  FailoverState state() const;

 private:
  using Clock = std::chrono::steady_clock;
  void probe_answered(bool answered);
  void log(LogLevel level, const std::string& message) const noexcept;

  const std::string primary_, backup_;
  const int threshold_;
  const std::chrono::milliseconds probe_interval_;
  const Logger logger_;
  const Probe probe_;

  mutable std::mutex mutex_;
  FailoverState state_ = FailoverState::closed;  // guarded by mutex_
  int failures_ = 0;                             // consecutive, of the primary; guarded
  Clock::time_point opened_at_{};                // or the last failed probe; guarded
};

}  // namespace wechatpay::detail
