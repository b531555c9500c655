// A request as a C++20 awaitable, for any coroutine type (no Asio needed):
//   Response res = co_await client->v3["pay"]["transactions"]["jsapi"]->post_co({.json = ...});
// Awaiting sends the request; the coroutine resumes once, on the executor of the options or the
// client (see executor.hpp), else on the transport's I/O thread. Errors are thrown from the
// co_await as their wechatpay::Error types (CancelledError for Options::stop_token).
// While it waits, the call holds no reference to the client: dropping the last Client handle
// shuts the transport down and the co_await throws TransportError("transport shut down").
#pragma once

#include <coroutine>
#include <exception>
#include <memory>
#include <string>

#include "wechatpay/chain.hpp"
#include "wechatpay/export.hpp"
#include "wechatpay/http.hpp"
#include "wechatpay/options.hpp"

namespace wechatpay {

// Made by Chain::get_co, post_co, put_co, patch_co, del_co and send_co; awaited once, where it
// was made (it is neither copied nor moved, so it cannot outlive its co_await by accident).
class WECHATPAY_EXPORT ResponseAwaitable {
 public:
  ResponseAwaitable(const ResponseAwaitable&) = delete;
  ResponseAwaitable& operator=(const ResponseAwaitable&) = delete;

  bool await_ready() const noexcept { return false; }
  // Sends the request; false when it completed within the send on this thread (a request
  // refused before it went out, or an executor that runs tasks inline): the coroutine then
  // goes on at once. Otherwise the completion resumes it, where the completion runs.
  bool await_suspend(std::coroutine_handle<> coroutine);
  Response await_resume();

 private:
  friend class Chain;
  ResponseAwaitable(Chain chain, std::string method, Options options);

  void complete(std::exception_ptr error, Response response);

  Chain chain_;
  std::string method_;
  Options options_;
  std::coroutine_handle<> coroutine_;
  std::exception_ptr error_;
  Response response_;
};

}  // namespace wechatpay
