// A cpp-httplib HTTPS server on 127.0.0.1 (OS-chosen port) for tests: listening before the
// constructor returns, stopped and joined by the destructor.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include <httplib.h>

namespace wechatpay::test {

struct TlsServerOptions {
  // Server certificate and key (PEM). Empty: make_server_certificate() from the test CA.
  std::string cert_pem;
  std::string key_pem;
  // Non-empty: require a client certificate issued by one of these CA certificates (PEM).
  std::string client_ca_pem;
  std::size_t threads = 8;
  std::size_t keep_alive_max_count = 1000;
  // Idle keep-alive connections hold a worker this long; httplib's stop() waits them out, so
  // destroy clients (transports) before the server.
  std::chrono::seconds keep_alive_timeout{2};
};

class TlsServer {
 public:
  // Registers the routes; runs before the server starts listening.
  using Setup = std::function<void(httplib::Server& server, TlsServer& self)>;

  explicit TlsServer(const Setup& setup, TlsServerOptions options = {});
  ~TlsServer();
  TlsServer(const TlsServer&) = delete;
  TlsServer& operator=(const TlsServer&) = delete;

  int port() const { return port_; }
  // "https://127.0.0.1:<port><path>"
  std::string url(std::string_view path = "/") const;
  // "https://localhost:<port><path>"
  std::string localhost_url(std::string_view path = "/") const;

  // For slow handlers: waits up to `duration`, returning false early once the server is being
  // stopped, so a destructor never waits out a sleeping handler.
  bool sleep_unless_stopping(std::chrono::milliseconds duration);

 private:
  std::unique_ptr<httplib::SSLServer> server_;
  std::thread thread_;
  int port_ = -1;
  std::mutex mutex_;
  std::condition_variable stop_signal_;
  bool stopping_ = false;
};

}  // namespace wechatpay::test
