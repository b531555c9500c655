// The listener: an httplib server (TLS or plain) with every route, bound to 127.0.0.1.
#pragma once

#include <memory>

#include <httplib.h>

#include "sandbox.hpp"

namespace wechatpay::sandbox {

struct ServerOptions {
  bool verbose = false;  // log each request to stderr
  std::size_t threads = 32;
};

// TLS: the sandbox's server certificate, and client certificates verified against the
// sandbox CA when offered (optional at the handshake; secapi/ endpoints demand one). One port
// serves both, as api.mch.weixin.qq.com does. std::runtime_error when TLS cannot be set up.
std::unique_ptr<httplib::Server> make_server(Sandbox& sandbox, const ServerOptions& options);

}  // namespace wechatpay::sandbox
