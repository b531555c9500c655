// Runs a request's completion on the caller's executor (see executor.hpp). Internal.
#pragma once

#include "wechatpay/executor.hpp"
#include "wechatpay/handler_stack.hpp"

namespace wechatpay::detail {

// `done`, handed to `executor` as a task when it is set; `done` itself otherwise.
Completion through_executor(Executor executor, Completion done);

}  // namespace wechatpay::detail
