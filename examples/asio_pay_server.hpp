// An Asio coroutine HTTP service for a JSAPI checkout, on Boost.Asio + Boost.Beast (HTTP) and
// wechatpay/asio.hpp:
//   POST /checkout {"description": "...", "total": 100, "openid": "o..."}
//        creates a JSAPI order (POST /v3/pay/transactions/jsapi) and answers the parameters the
//        page passes to WeixinJSBridge: {"out_trade_no": ..., "pay_params": {appId, timeStamp,
//        nonceStr, package, signType, paySign}}
//   POST /notify
//        verifies and decrypts a payment notification and acknowledges it (204), or answers
//        {"code":"FAIL",...} so that WeChat Pay retries.
// Every connection is a coroutine on one io_context; a WeChat Pay call suspends it
// (co_await wechatpay::async_post(..., use_awaitable)) and it resumes on the io_context, so no
// thread blocks on the network. The client's transfers run on that io_context too
// (wechatpay/asio_transport.hpp): the service has no thread besides the ones running it. Put TLS
// in front (nginx, a load balancer).
#pragma once

#define WECHATPAY_USE_BOOST_ASIO
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <utility>

#include "wechatpay/asio.hpp"
#include "wechatpay/asio_transport.hpp"
#include "wechatpay/wechatpay.hpp"

namespace example {

namespace net = boost::asio;
namespace http = boost::beast::http;
using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;

struct PayServiceSettings {
  std::string appid;       // the official account or mini-program the payer uses
  std::string notify_url;  // where WeChat Pay sends the payment notification
};

class PayService {
 public:
  // `io` runs the service and must outlive it.
  PayService(net::io_context& io, wechatpay::ClientConfig config, PayServiceSettings settings)
      : merchant_key_(
            wechatpay::crypto::PrivateKey::load(config.private_key, config.private_key_passphrase)),
        client_(on(io, std::move(config))),
        settings_(std::move(settings)),
        jsapi_(client_["v3/pay/transactions/jsapi"]) {}

  // Notifications verified and acknowledged so far.
  long notifications() const { return notifications_.load(); }

  net::awaitable<HttpResponse> handle(const HttpRequest& request) {
    if (request.method() != http::verb::post) co_return reply(405, error_body("use POST"));
    if (request.target() == "/checkout") co_return co_await checkout(request.body());
    if (request.target() == "/notify") co_return notify(request);
    co_return reply(404, error_body("no such path"));
  }

 private:
  static wechatpay::ClientConfig on(net::io_context& io, wechatpay::ClientConfig config) {
    config.transport = wechatpay::make_asio_transport(io);
    return config;
  }

  static std::string error_body(std::string_view message) {
    return wechatpay::Json{{"code", "FAIL"}, {"message", message}}.dump();
  }
  static HttpResponse reply(int status, std::string body,
                            std::string content_type = "application/json") {
    HttpResponse response{static_cast<http::status>(status), 11};
    if (!body.empty()) response.set(http::field::content_type, content_type);
    response.body() = std::move(body);
    return response;
  }

  net::awaitable<HttpResponse> checkout(const std::string& body) {
    // The shop's own client is still the network: read it through the SDK's bounded parser.
    std::int64_t total = 0;
    std::string openid, description;
    try {
      auto input = wechatpay::JsonView::parse(body);
      total = input["total"].as<std::int64_t>();
      openid = input["openid"].as<std::string>();
      description = input["description"].value_or("checkout");
    } catch (const wechatpay::Error&) {
      co_return reply(400, error_body("expected {\"total\": fen, \"openid\": \"...\"}"));
    }
    const std::string out_trade_no = "ASIO" + wechatpay::crypto::nonce(16);
    wechatpay::Options order{.json = {{"appid", settings_.appid},
                                      {"mchid", client_.mchid()},
                                      {"description", description},
                                      {"out_trade_no", out_trade_no},
                                      {"notify_url", settings_.notify_url},
                                      {"amount", {{"total", total}, {"currency", "CNY"}}},
                                      {"payer", {{"openid", openid}}}}};
    try {
      // Options are built above, not braced inside the co_await (GCC 12 rejects that).
      wechatpay::Response created =
          co_await wechatpay::async_post(jsapi_, std::move(order), net::use_awaitable);
      // JsonReadError (a wechatpay::Error) when the answer has no prepay_id.
      const auto prepay_id = created.json()["prepay_id"].as<std::string>();
      auto params = wechatpay::v3::jsapi_pay_params(merchant_key_, settings_.appid, prepay_id);
      co_return reply(
          200,
          wechatpay::Json{{"out_trade_no", out_trade_no}, {"pay_params", params.json()}}.dump());
    } catch (const wechatpay::ApiError& e) {
      co_return reply(502, wechatpay::Json{{"code", e.code()}, {"message", e.message()}}.dump());
    } catch (const wechatpay::Error& e) {
      co_return reply(502, error_body(e.what()));
    }
  }

  // parse_notification is synchronous; it blocks only when an unknown serial makes it download
  // the platform certificates (certificate_refresh on), which is rare.
  HttpResponse notify(const HttpRequest& request) {
    wechatpay::Headers headers;
    for (const auto& field : request) {
      headers.add(std::string(field.name_string()), std::string(field.value()));
    }
    wechatpay::v3::Acknowledgement ack;
    try {
      auto notification = client_.parse_notification(headers, request.body());
      ++notifications_;
      (void)notification;  // a real service marks the order paid here, idempotently
      ack = wechatpay::v3::acknowledge_success();
    } catch (const wechatpay::Error& e) {
      ack = wechatpay::v3::acknowledge_failure("rejected", 400);
    }
    return reply(ack.status, ack.body, ack.content_type);
  }

  wechatpay::crypto::PrivateKey merchant_key_;
  wechatpay::Client client_;
  PayServiceSettings settings_;
  wechatpay::Chain jsapi_;
  std::atomic<long> notifications_{0};
};

// One HTTP/1.1 connection: requests answered in order until the peer closes.
inline net::awaitable<void> serve_connection(net::ip::tcp::socket socket, PayService& service) {
  boost::beast::tcp_stream stream(std::move(socket));
  boost::beast::flat_buffer buffer;
  while (true) {
    HttpRequest request;
    http::request_parser<http::string_body> parser;
    parser.body_limit(64 * 1024);
    stream.expires_after(std::chrono::seconds(30));
    auto [read_error, read] =
        co_await http::async_read(stream, buffer, parser, net::as_tuple(net::use_awaitable));
    if (read_error) break;
    request = parser.release();
    HttpResponse response = co_await service.handle(request);
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    auto [write_error, written] =
        co_await http::async_write(stream, response, net::as_tuple(net::use_awaitable));
    if (write_error || !response.keep_alive()) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
}

inline net::awaitable<void> accept_connections(net::ip::tcp::acceptor& acceptor,
                                               PayService& service) {
  while (true) {
    auto [error, socket] = co_await acceptor.async_accept(net::as_tuple(net::use_awaitable));
    if (error == net::error::operation_aborted) co_return;
    if (error) continue;
    net::co_spawn(acceptor.get_executor(), serve_connection(std::move(socket), service),
                  net::detached);
  }
}

}  // namespace example
