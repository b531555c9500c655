// A transport that never sends, for tests whose requests stop at a capturing stack handler.
#pragma once

#include "wechatpay/errors.hpp"
#include "wechatpay/transport.hpp"

namespace wechatpay::test {

class NullTransport : public Transport {
 public:
  void send(Request, Completion done) override {
    done(std::make_exception_ptr(TransportError("no network in this test")), {});
  }
  bool on_io_thread() const override { return false; }
};

// Thrown by a capturing handler to stop a request once it is captured.
struct StopHere {};

}  // namespace wechatpay::test
