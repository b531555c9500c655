// The "retry" middleware: repeats a request its policy (retry_policy.hpp) says may be repeated,
// after a jittered exponential backoff or the answer's Retry-After, within the request's total
// timeout. The client puts it outermost on both stacks, so every attempt is signed anew (fresh
// nonce and timestamp), verified anew and seen by the `logging` middleware; with failover
// (failover.hpp) it also picks the host of each attempt. After more than one attempt the final
// error's message ends in "(N attempts)", or "(N attempts; why no more)" when the timeout or a
// stopping client cut them short.
#pragma once

#include <chrono>
#include <exception>
#include <optional>

#include "wechatpay/export.hpp"
#include "wechatpay/handler_stack.hpp"
#include "wechatpay/log.hpp"
#include "wechatpay/retry_policy.hpp"

namespace wechatpay {

// One finished attempt, as a RetryDecider sees it.
struct RetryAttempt {
  int number = 1;            // 1 for the first attempt
  const Request& request;    // as the retry middleware received it (before signing)
  std::exception_ptr error;  // what failed the attempt, or null
  // The answer: the response, or the one a ResponseError (ApiError, ...) carries; else null.
  const Response* answer = nullptr;
};

// Built-in decisions, to combine in a RetryDecider of your own.
// A failure before any byte of the request was sent (TransportError::connect_failed()).
WECHATPAY_EXPORT bool connect_failure(const RetryAttempt& attempt);
// GET and HEAD, or whatever Options::idempotent says.
WECHATPAY_EXPORT bool is_idempotent(const Request& request);
// An idempotent request answered 429 or 5xx, or timed out. A request whose 2xx body streams to
// Options::on_body is not repeated after a timeout (the consumer may have had part of it).
WECHATPAY_EXPORT bool idempotent_failure(const RetryAttempt& attempt);

// The answer's Retry-After (delay-seconds or an HTTP-date), or nullopt when absent or unreadable.
WECHATPAY_EXPORT std::optional<std::chrono::milliseconds> retry_after(const Response& answer);

// The middleware; Options::retry replaces `policy` per request. `logger` (optional) gets a debug
// line per retry. Backoff waits run on a timer thread the middleware owns (started on first
// use), never on the transport's I/O thread; dropping the middleware fails the waiting requests.
WECHATPAY_EXPORT Middleware retry(RetryPolicy policy = {}, Logger logger = {});

}  // namespace wechatpay
