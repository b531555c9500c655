// Moves requests over the network. One transport runs one I/O thread (libcurl multi) for any
// number of requests; several clients may share one by passing it in their configuration.
// event_loop.hpp and asio_transport.hpp make one driven by the caller's event loop instead.
#pragma once

#include <memory>

#include "wechatpay/export.hpp"
#include "wechatpay/handler_stack.hpp"

namespace wechatpay {

class WECHATPAY_EXPORT Transport {
 public:
  virtual ~Transport() = default;
  // Starts the request and returns at once; `done` runs exactly once, on the I/O thread or,
  // if the transport is shutting down, on the thread destroying it.
  virtual void send(Request request, Completion done) = 0;
  // True on the transport's own I/O thread (a synchronous call from there would deadlock).
  virtual bool on_io_thread() const = 0;
};

struct CurlTransportOptions {
  // Upper bound on simultaneous connections per host; further requests wait for a free one
  // (their timeout keeps running). 0 = unlimited, which opens a connection (and a TLS
  // handshake) per concurrent request.
  long max_host_connections = 16;
  // Idle connections older than this are not reused (WeChat Pay closes them at 8 s).
  long max_idle_seconds = 7;
};

// The libcurl-multi transport: one I/O thread, connection reuse, HTTP/2 when offered.
// Destruction fails every request still in flight with TransportError, then joins.
WECHATPAY_EXPORT std::shared_ptr<Transport> make_curl_transport(CurlTransportOptions options = {});

}  // namespace wechatpay
