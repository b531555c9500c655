// The client's "retry" middleware: retry.hpp's, with each attempt's host chosen by the client's
// circuit breaker. Internal.
#pragma once

#include <exception>
#include <memory>
#include <string>

#include "failover.hpp"
#include "wechatpay/retry.hpp"

namespace wechatpay::detail {

// `failover` may be null (no backup host).
Middleware retry(RetryPolicy policy, Logger logger, std::shared_ptr<Failover> failover);

// `error` rebuilt with "(N attempts<note>)" appended to its message, when it is one of the
// library's own error types; anything else is returned as it is.
std::exception_ptr with_attempts(const std::exception_ptr& error, int attempts,
                                 const std::string& note);

}  // namespace wechatpay::detail
