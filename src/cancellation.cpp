#include "cancellation.hpp"

#include "redact.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::detail {

std::exception_ptr cancelled_error(const Request& request, bool sent) {
  std::string what = request.method + " " + redact_url(request.url) + ": cancelled ";
  what += sent ? "in flight; the transfer was aborted, but the server may have received the request"
               : "before it was sent; the request was not sent";
  return std::make_exception_ptr(CancelledError(what, sent));
}

CancelHook::CancelHook(const Request& request, Wake wake, void* target) {
  if (!request.options || !request.options->stop_token.stop_possible()) return;
  callback_ =
      std::make_unique<std::stop_callback<Call>>(request.options->stop_token, Call{wake, target});
}

}  // namespace wechatpay::detail
