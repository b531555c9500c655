// A transport that plays a streamed 2xx download: it feeds `body` to the request's on_body in
// 16 KiB chunks, as the curl transport does, then answers 200 (or fails with what on_body threw).
#pragma once

#include <exception>
#include <string>
#include <string_view>

#include "wechatpay/transport.hpp"

namespace wechatpay::test {

class FeedingTransport : public Transport {
 public:
  explicit FeedingTransport(std::string body = {}) : body(std::move(body)) {}
  void send(Request request, Completion done) override {
    const std::string_view all = body;
    try {
      for (std::size_t at = 0; at < all.size(); at += kChunk) {
        request.transfer.on_body(all.substr(at, kChunk), static_cast<std::int64_t>(all.size()));
      }
    } catch (...) {
      return done(std::current_exception(), {});
    }
    Response response;
    response.status = 200;
    done(nullptr, std::move(response));
  }
  bool on_io_thread() const override { return false; }

  std::string body;

 private:
  static constexpr std::size_t kChunk = 16 * 1024;
};

}  // namespace wechatpay::test
