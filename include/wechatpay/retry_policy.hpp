// How the "retry" middleware (retry.hpp) repeats a failed request: set for every request in
// ClientConfig::retry, or for one request in Options::retry.
#pragma once

#include <chrono>
#include <functional>

namespace wechatpay {

struct RetryAttempt;  // retry.hpp: what a policy decides from

// Decides from one finished attempt whether to make another.
using RetryDecider = std::function<bool(const RetryAttempt& attempt)>;

struct RetryPolicy {
  // Attempts in all, the first included; 1 turns retrying off.
  int max_attempts = 3;
  // Besides failures before a byte was sent (always retried): 429, 5xx and timeouts of
  // idempotent requests (GET, HEAD, or Options::idempotent), which may have been seen already.
  bool idempotent_failures = false;
  // The wait before attempt n + 1 is uniformly random in [0, min(max_delay, base_delay * 2^(n-1))]
  // ("full jitter", so clients that failed together do not return together). A Retry-After
  // answer header replaces it. Every wait, like every attempt, fits in the request's timeout.
  std::chrono::milliseconds base_delay{100};
  std::chrono::milliseconds max_delay{2'000};
  // Replaces the built-in decision (retry.hpp: connect_failure, idempotent_failure) when set.
  RetryDecider decide{};
};

}  // namespace wechatpay
