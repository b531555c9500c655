// APIv2 against the sandbox: the seed tools/authcodetoopenid and secapi/pay/refund over mutual
// TLS, in all three styles, sync and async; FAIL answers, tampered signs, a missing certificate.
#include "integration/sandbox_fixture.hpp"
#include "wechatpay/crypto/nonce.hpp"

namespace wechatpay::test {
namespace {

constexpr const char* kAuthCode = "134567890123456789";

class SandboxV2 : public SandboxTest {
 protected:
  Client client_ = client();
  std::string mchid_ = client_.mchid();

  Options authcode(const char* code = kAuthCode) {
    return {.xml = example::authcode_to_openid(mchid_, code)};
  }

  // A paid order (micropay), ready to refund.
  std::string paid_order() {
    std::string out_trade_no = "M" + crypto::nonce(20);
    auto fields = v2::xml(
        client_->v2["pay"]["micropay"]->post({.xml = {{"appid", "wxd930ea5d5a258f4f"},
                                                      {"mch_id", mchid_},
                                                      {"body", "image形象店-深圳腾大- QQ公仔"},
                                                      {"out_trade_no", out_trade_no},
                                                      {"total_fee", 888},
                                                      {"spbill_create_ip", "8.8.8.8"},
                                                      {"auth_code", kAuthCode}}}));
    EXPECT_EQ(fields.value("result_code"), "SUCCESS");
    return out_trade_no;
  }

  Options refund(const std::string& out_trade_no, bool security = true) {
    return {.xml = {{"appid", "wxd930ea5d5a258f4f"},
                    {"mch_id", mchid_},
                    {"out_trade_no", out_trade_no},
                    {"out_refund_no", "R" + crypto::nonce(20)},
                    {"total_fee", 888},
                    {"refund_fee", 100}},
            .security = security};
  }
};

TEST_F(SandboxV2, AuthCodeToOpenidThreeStylesSyncFutureCallback) {
  post_every_way(
      {client_->v2["tools"]["authcodetoopenid"], client_->chain("v2/tools/authcodetoopenid"),
       client_["v2/tools/authcodetoopenid"]},
      [&] { return authcode(); },
      [](const Response& response) {
        auto fields = v2::xml(response);
        EXPECT_EQ(fields.value("result_code"), "SUCCESS");
        EXPECT_TRUE(fields.value("openid").starts_with("oUpF8u"));
      });
}

TEST_F(SandboxV2, HmacSha256IsSignedBackTheSameWay) {
  Options options = authcode();
  options.xml.set("sign_type", "HMAC-SHA256");
  auto fields = v2::xml(client_["v2/tools/authcodetoopenid"]->post(options));
  EXPECT_EQ(fields.value("sign").size(), 64u);
}

TEST_F(SandboxV2, RefundOverMutualTlsThreeStylesSyncFutureCallback) {
  std::vector<std::string> orders;
  for (int i = 0; i < 9; ++i) orders.push_back(paid_order());
  std::size_t next = 0;
  post_every_way(
      {client_->v2["secapi"]["pay"]["refund"], client_->chain("v2/secapi/pay/refund"),
       client_["v2/secapi/pay/refund"]},
      [&] { return refund(orders.at(next++)); },
      [](const Response& response) {
        auto fields = v2::xml(response);
        EXPECT_EQ(fields.value("result_code"), "SUCCESS");
        EXPECT_EQ(fields.value("refund_fee"), "100");
        EXPECT_FALSE(fields.value("refund_id").empty());
      });
}

TEST_F(SandboxV2, RefundWithoutTheClientCertificateIsRefused) {
  std::string order = paid_order();
  ApiError refused =
      api_error([&] { client_["v2/secapi/pay/refund"]->post(refund(order, false)); });
  EXPECT_EQ(refused.message(), "CERT_ERROR");
  // A client with no merchant certificate at all cannot even ask.
  ClientConfig config = sandbox().config();
  config.merchant_cert.clear();
  config.merchant_key.clear();
  EXPECT_THROW(Client(config)["v2/secapi/pay/refund"]->post(refund(order)), ConfigError);
  // The same order still refunds with the certificate.
  EXPECT_EQ(v2::xml(client_["v2/secapi/pay/refund"]->post(refund(order))).value("result_code"),
            "SUCCESS");
}

TEST_F(SandboxV2, FailAnswerIsApiError) {
  EXPECT_EQ(api_error([&] { client_["v2/tools/authcodetoopenid"]->post(authcode("999")); }).code(),
            "AUTH_CODE_INVALID");
  ClientConfig config = sandbox().config();
  config.secret = std::string(32, 'x');  // the wrong APIv2 key: the sandbox answers FAIL
  ApiError refused =
      api_error([&] { Client(config)["v2/tools/authcodetoopenid"]->post(authcode()); });
  // The real service's text alone, no explanation appended.
  EXPECT_EQ(refused.message(), "签名错误");
  EXPECT_EQ(v2::xml(refused.response()).value("return_msg"), "签名错误");
}

TEST_F(SandboxV2, TamperedSignIsVerificationError) {
  Options options = authcode();
  options.headers.set("Sandbox-Fault", "bad_signature");
  EXPECT_THROW(client_["v2/tools/authcodetoopenid"]->post(options), VerificationError);
  options = refund(paid_order());
  options.headers.set("Sandbox-Fault", "bad_signature");
  EXPECT_THROW(client_["v2/secapi/pay/refund"]->post_async(options).get(), VerificationError);
}

TEST_F(SandboxV2, MicropayThenOrderQuery) {
  std::string out_trade_no = paid_order();
  auto fields = v2::xml(client_->v2["pay"]["orderquery"]->post(
      {.xml = {
           {"appid", "wxd930ea5d5a258f4f"}, {"mch_id", mchid_}, {"out_trade_no", out_trade_no}}}));
  EXPECT_EQ(fields.value("trade_state"), "SUCCESS");
  EXPECT_EQ(fields.value("total_fee"), "888");
}

}  // namespace
}  // namespace wechatpay::test
