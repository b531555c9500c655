#include "wechatpay/response_awaitable.hpp"

#include <utility>

#include "client_core.hpp"
#include "executor_completion.hpp"

namespace wechatpay {

ResponseAwaitable::ResponseAwaitable(std::shared_ptr<detail::ChainNode> node, std::string method,
                                     Options options)
    : node_(std::move(node)), method_(std::move(method)), options_(std::move(options)) {}

bool ResponseAwaitable::await_suspend(std::coroutine_handle<> coroutine) {
  coroutine_ = coroutine;
  // Held only while the request starts: a pending call keeps no client alive. Released when
  // this function returns, after the last use of `this` (which may be gone by then).
  const std::shared_ptr<detail::ChainNode> node = std::move(node_);
  const auto& core = *node->core;
  Completion done =
      detail::through_executor(options_.executor ? options_.executor : core.config.executor,
                               [this](std::exception_ptr error, Response response) {
                                 complete(std::move(error), std::move(response));
                               });
  core.send(node->path, std::move(method_), std::move(options_), std::move(done));
  // Whoever comes second resumes: the completion (suspended first) or this (done first).
  int expected = kIdle;
  return state_.compare_exchange_strong(expected, kSuspended, std::memory_order_acq_rel);
}

void ResponseAwaitable::complete(std::exception_ptr error, Response response) {
  error_ = std::move(error);
  response_ = std::move(response);
  if (state_.exchange(kDone, std::memory_order_acq_rel) == kSuspended) coroutine_.resume();
}

Response ResponseAwaitable::await_resume() {
  if (error_) std::rethrow_exception(error_);
  return std::move(response_);
}

}  // namespace wechatpay
