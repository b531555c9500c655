// The smallest coroutine type, for tests and benchmarks of the SDK's awaitables: it starts at
// once and frees itself when it ends. The awaitables know nothing of it (any type works).
#pragma once

#include <coroutine>
#include <exception>

namespace wechatpay::test {

struct Detached {
  struct promise_type {
    Detached get_return_object() noexcept { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }  // callers catch what they await
  };
};

}  // namespace wechatpay::test
