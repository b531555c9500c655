// A port on 127.0.0.1 that nothing listens on, for "connection refused" tests.
#pragma once

namespace wechatpay::test {

// Binds an ephemeral port, then closes it; std::runtime_error if no port can be bound.
int closed_port();

}  // namespace wechatpay::test
