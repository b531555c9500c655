// What the asynchronous curl transports have in common: requests go to a CurlMulti, except a
// synchronous call's own transfer, which runs on the calling thread (see sync_call.hpp) unless
// that is the transport's I/O thread or the request is HTTP/2 (its point is one multiplexed
// connection, which the multi keeps; libcurl cannot share a connection cache between threads).
// Internal.
#pragma once

#include <memory>

#include "transport/curl_multi.hpp"
#include "transport/curl_sync.hpp"
#include "wechatpay/transport.hpp"

namespace wechatpay::detail {

class MultiTransport : public Transport {
 public:
  MultiTransport(const CurlTransportOptions& options, std::shared_ptr<CurlMulti> multi)
      : sync_(options.max_host_connections, options.max_idle_seconds), multi_(std::move(multi)) {}

  void send(Request request, Completion done) override;
  bool on_io_thread() const override { return multi_->on_owner_thread(); }

 protected:
  const std::shared_ptr<CurlMulti>& multi() const noexcept { return multi_; }

 private:
  CurlSyncTransfers sync_;
  std::shared_ptr<CurlMulti> multi_;
};

}  // namespace wechatpay::detail
