// Cancellation through Options::stop_token, as the client and the transport see it: whether a
// request was cancelled, the error it then completes with, and a hook that tells the transport's
// I/O thread when a token is stopped. Internal.
#pragma once

#include <exception>
#include <memory>
#include <stop_token>

#include "wechatpay/http.hpp"

namespace wechatpay::detail {

inline bool cancel_requested(const Request& request) {
  return request.options && request.options->stop_token.stop_requested();
}

// CancelledError for `request`; `sent`: it may have reached the server.
std::exception_ptr cancelled_error(const Request& request, bool sent);

// Calls `wake(target)` on the thread that stops the request's token (at once when it is stopped
// already) for as long as the hook lives; holds nothing for a request that cannot be cancelled.
// `wake` must not block: the hook's destructor waits for a call in progress.
class CancelHook {
 public:
  using Wake = void (*)(void* target) noexcept;
  CancelHook() = default;
  CancelHook(const Request& request, Wake wake, void* target);

 private:
  struct Call {
    Wake wake;
    void* target;
    void operator()() const noexcept { wake(target); }
  };
  std::unique_ptr<std::stop_callback<Call>> callback_;
};

}  // namespace wechatpay::detail
