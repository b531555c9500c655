#include "wechatpay/response_awaitable.hpp"

#include <utility>

namespace wechatpay {

ResponseAwaitable::ResponseAwaitable(Chain chain, std::string method, Options options)
    : chain_(std::move(chain)), method_(std::move(method)), options_(std::move(options)) {}

namespace {

// The awaitable whose send is in progress on this thread, and where to note that it completed
// during the send. A completion elsewhere (another thread, or this one later) resumes the
// coroutine itself; one during the send must not, as await_suspend has not returned yet.
struct Sending {
  const ResponseAwaitable* awaitable = nullptr;
  bool* completed = nullptr;
};
thread_local Sending sending;

}  // namespace

bool ResponseAwaitable::await_suspend(std::coroutine_handle<> coroutine) {
  coroutine_ = coroutine;
  // Held only while the request starts: a pending call keeps no client alive.
  const Chain chain = std::move(chain_);
  bool completed = false;
  const Sending outer = std::exchange(sending, {this, &completed});
  // send_async runs the completion on the executor of the options or the client.
  chain.send_async(std::move(method_), std::move(options_),
                   [this](std::exception_ptr error, Response response) {
                     complete(std::move(error), std::move(response));
                   });
  sending = outer;
  // Unless it completed in the send, the coroutine may have resumed and ended on another
  // thread by now: `this` is not touched again.
  return !completed;
}

void ResponseAwaitable::complete(std::exception_ptr error, Response response) {
  error_ = std::move(error);
  response_ = std::move(response);
  if (sending.awaitable == this) {
    *sending.completed = true;
    return;
  }
  coroutine_.resume();
}

Response ResponseAwaitable::await_resume() {
  if (error_) std::rethrow_exception(error_);
  return std::move(response_);
}

}  // namespace wechatpay
