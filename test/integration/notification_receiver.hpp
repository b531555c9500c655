// A merchant's notify URL for the sandbox's webhooks: a TLS server on 127.0.0.1 that answers
// POST /notify with 204 and keeps the last notification as the client would see it.
#pragma once

#include <mutex>
#include <string>
#include <utility>

#include "support/tls_server.hpp"
#include "wechatpay/headers.hpp"

namespace wechatpay::test {

class NotificationReceiver {
 public:
  std::string url() const { return server_.url("/notify"); }
  std::pair<Headers, std::string> last() {
    std::lock_guard lock(mutex_);
    return {headers_, body_};
  }

 private:
  std::mutex mutex_;
  Headers headers_;
  std::string body_;
  TlsServer server_{[this](httplib::Server& server, TlsServer&) {
    server.Post("/notify", [this](const httplib::Request& request, httplib::Response& response) {
      std::lock_guard lock(mutex_);
      headers_ = Headers();
      for (const auto& [name, value] : request.headers) headers_.add(name, value);
      body_ = request.body;
      response.status = 204;
    });
  }};
};

}  // namespace wechatpay::test
