// Orders and refunds against the sandbox's in-memory state: what is created can be queried,
// paid (admin endpoint), refunded and closed.
#include "integration/sandbox_fixture.hpp"
#include "wechatpay/crypto/nonce.hpp"

namespace wechatpay::test {
namespace {

class SandboxOrders : public SandboxTest {
 protected:
  Client client_ = client();
  std::string mchid_ = client_.mchid();

  Options order(const std::string& out_trade_no, bool jsapi) {
    Options options{.json = {{"appid", "wxd678efh567hg6787"},
                             {"mchid", mchid_},
                             {"description", "Image形象店-深圳腾大-QQ公仔"},
                             {"out_trade_no", out_trade_no},
                             {"notify_url", "https://www.weixin.qq.com/wxpay/pay.php"},
                             {"amount", {{"total", 100}, {"currency", "CNY"}}}}};
    if (jsapi) options.json.set("payer", {{"openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}});
    return options;
  }

  std::string state_of(const std::string& out_trade_no) {
    auto response = client_->v3["pay"]["transactions"]["outTradeNo"]["{out_trade_no}"]->get(
        {.query = {{"mchid", mchid_}}, .params = {{"out_trade_no", out_trade_no}}});
    EXPECT_TRUE(response.verified);
    return response.json()["trade_state"].as<std::string>();
  }
};

TEST_F(SandboxOrders, JsapiCreateQueryPayRefund) {
  const std::string out_trade_no = "T" + crypto::nonce(20);
  auto created = client_->v3["pay"]["transactions"]["jsapi"]->post(order(out_trade_no, true));
  EXPECT_TRUE(created.json()["prepay_id"].as<std::string>().starts_with("wx"));
  EXPECT_EQ(state_of(out_trade_no), "NOTPAY");

  sandbox().admin("POST", "/sandbox/orders/" + out_trade_no + "/pay");
  auto by_out_trade_no = client_["v3/pay/transactions/out-trade-no/{out_trade_no}"]->get(
      {.query = {{"mchid", mchid_}}, .params = {{"out_trade_no", out_trade_no}}});
  auto paid = by_out_trade_no.json();
  EXPECT_EQ(paid["trade_state"].as<std::string>(), "SUCCESS");
  std::string transaction_id = paid["transaction_id"].as<std::string>();
  auto by_id =
      client_->chain("v3/pay/transactions/id/{transaction_id}")
          ->get({.query = {{"mchid", mchid_}}, .params = {{"transaction_id", transaction_id}}});
  EXPECT_EQ(by_id.json()["out_trade_no"].as<std::string>(), out_trade_no);
  EXPECT_EQ(by_id.json()["amount"]["total"].as<int>(), 100);

  const std::string out_refund_no = "R" + crypto::nonce(20);
  auto refund = client_->v3["refund"]["domestic"]["refunds"]->post(
      {.json = {{"transaction_id", transaction_id},
                {"out_refund_no", out_refund_no},
                {"amount", {{"refund", 40}, {"total", 100}, {"currency", "CNY"}}}}});
  EXPECT_EQ(refund.json()["amount"]["refund"].as<int>(), 40);
  auto queried = client_["v3/refund/domestic/refunds/{out_refund_no}"]->get(
      {.params = {{"out_refund_no", out_refund_no}}});
  EXPECT_EQ(queried.json()["refund_id"].as<std::string>(),
            refund.json()["refund_id"].as<std::string>());
  EXPECT_EQ(state_of(out_trade_no), "REFUND");

  ApiError too_much = api_error([&] {
    client_->v3["refund"]["domestic"]["refunds"]->post(
        {.json = {{"out_trade_no", out_trade_no},
                  {"out_refund_no", "R" + crypto::nonce(20)},
                  {"amount", {{"refund", 61}, {"total", 100}, {"currency", "CNY"}}}}});
  });
  EXPECT_EQ(too_much.status(), 403);
  EXPECT_EQ(too_much.code(), "NOT_ENOUGH");
}

TEST_F(SandboxOrders, NativeCreateCloseAndDuplicates) {
  const std::string out_trade_no = "N" + crypto::nonce(20);
  auto created = client_["v3/pay/transactions/native"]->post(order(out_trade_no, false));
  EXPECT_TRUE(created.json()["code_url"].as<std::string>().starts_with("weixin://"));
  ApiError duplicate =
      api_error([&] { client_["v3/pay/transactions/native"]->post(order(out_trade_no, false)); });
  EXPECT_EQ(duplicate.status(), 400);
  EXPECT_EQ(duplicate.code(), "INVALID_REQUEST");
  auto closed = client_["v3/pay/transactions/out-trade-no/{out_trade_no}/close"]->post(
      {.json = {{"mchid", mchid_}}, .params = {{"out_trade_no", out_trade_no}}});
  EXPECT_EQ(closed.status, 204);
  EXPECT_TRUE(closed.verified);
  EXPECT_EQ(state_of(out_trade_no), "CLOSED");
}

TEST_F(SandboxOrders, UnknownOrderIs404OrderNotExist) {
  ApiError e = api_error([&] { state_of("no-such-order"); });
  EXPECT_EQ(e.status(), 404);
  EXPECT_EQ(e.code(), "ORDER_NOT_EXIST");
  EXPECT_TRUE(e.response().verified);
}

}  // namespace
}  // namespace wechatpay::test
