// Integration tests against the real wechatpay-sandbox binary: one sandbox per test suite, a
// client from its profile, and the three ways to call (sync, future, callback).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "seed_requests.hpp"
#include "support/sandbox_process.hpp"
#include "wechatpay/crypto/nonce.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay::test {

class SandboxTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    sandbox_ = std::make_unique<SandboxProcess>(
        WECHATPAY_SANDBOX_BINARY, std::vector<std::string>{}, WECHATPAY_SANDBOX_CREDENTIALS);
  }
  static void TearDownTestSuite() { sandbox_.reset(); }

  static SandboxProcess& sandbox() { return *sandbox_; }
  static Client client() { return Client(sandbox().config()); }

  // The response through a callback, waited for at most 30 s.
  static Response via_callback(const std::function<void(Completion)>& call) {
    auto delivered = std::make_shared<std::promise<Response>>();
    call([delivered](std::exception_ptr error, Response response) {
      if (error) {
        delivered->set_exception(error);
      } else {
        delivered->set_value(std::move(response));
      }
    });
    auto future = delivered->get_future();
    if (future.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
      throw std::runtime_error("the callback did not run within 30 s");
    }
    return future.get();
  }

  // Creates a JSAPI order of `total` fen through `client`; returns its out_trade_no.
  static std::string create_order(const Client& client, std::int64_t total) {
    std::string out_trade_no = "T" + crypto::nonce(20);
    client["v3/pay/transactions/jsapi"]->post(
        {.json = {{"appid", "wxd678efh567hg6787"},
                  {"mchid", client.mchid()},
                  {"description", "integration test"},
                  {"out_trade_no", out_trade_no},
                  {"notify_url", "https://www.weixin.qq.com/wxpay/pay.php"},
                  {"amount", {{"total", total}, {"currency", "CNY"}}},
                  {"payer", {{"openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}}}});
    return out_trade_no;
  }

  // The ApiError `call` throws; anything else (or nothing) fails the test.
  static ApiError api_error(const std::function<void()>& call) {
    try {
      call();
    } catch (const ApiError& e) {
      return e;
    }
    throw std::runtime_error("expected ApiError");
  }

  // POSTs through each chain synchronously, with a future and with a callback (9 calls for three
  // chains), checking every response; `options` is called once per request.
  static void post_every_way(const std::vector<Chain>& chains,
                             const std::function<Options()>& options,
                             const std::function<void(const Response&)>& check) {
    for (const Chain& chain : chains) {
      SCOPED_TRACE(chain.path());
      check(chain->post(options()));
      auto future = chain.post_async(options());
      ASSERT_EQ(future.wait_for(std::chrono::seconds(30)), std::future_status::ready);
      check(future.get());
      check(via_callback([&](Completion done) { chain->post_async(options(), done); }));
    }
  }

 private:
  static inline std::unique_ptr<SandboxProcess> sandbox_;
};

}  // namespace wechatpay::test
