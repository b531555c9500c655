#include "wechatpay/v3/notification.hpp"

#include <gtest/gtest.h>

#include "support/wechatpay_fixtures.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::v3 {
namespace {

constexpr std::int64_t kNow = 1'700'000'000;
const std::string kSerial = "PUB_KEY_ID_0114232134912410000000000000";
const std::string kResource =
    R"({"mchid":"1900000001","out_trade_no":"T1","trade_state":"SUCCESS","amount":{"total":100}})";

class Notifications : public ::testing::Test {
 protected:
  std::string body(const std::string& apiv3_key = test::kApiV3Key) {
    auto resource = test::sealed(kResource, "transaction", apiv3_key);
    resource.set("original_type", "transaction");
    return Json{{"id", "EV-2018022511223320873"},
                {"create_time", "2015-05-20T13:29:35+08:00"},
                {"resource_type", "encrypt-resource"},
                {"event_type", "TRANSACTION.SUCCESS"},
                {"summary", "支付成功"},
                {"resource", resource}}
        .dump();
  }
  Headers headers(std::string_view body, std::int64_t timestamp = kNow,
                  const char* signer = "platform") {
    return test::wechatpay_headers(
        crypto::PrivateKey::load(test::cached_rsa_key(signer).private_pem), kSerial, body,
        timestamp);
  }
  Notification parse(const Headers& headers, std::string_view body,
                     const std::string& apiv3_key = test::kApiV3Key) {
    return parse_notification(keys_, apiv3_key, headers, body, kNow);
  }
  void expect_rejected(const Headers& h, const std::string& b, const std::string& reason,
                       const std::string& apiv3_key = test::kApiV3Key) {
    try {
      parse(h, b, apiv3_key);
      ADD_FAILURE() << "accepted: " << reason;
    } catch (const VerificationError& e) {
      EXPECT_NE(std::string(e.what()).find(reason), std::string::npos) << e.what();
      EXPECT_EQ(e.response().body, b) << "the error carries the notification for logging";
      EXPECT_EQ(std::string(e.what()).find(test::kApiV3Key), std::string::npos);
    }
  }

  crypto::KeyStore keys_{crypto::KeyStore::Snapshot{
      {kSerial, {crypto::PublicKey::load(test::cached_rsa_key("platform").public_pem), 0}}}};
};

TEST_F(Notifications, ValidOneYieldsEnvelopeAndPlaintext) {
  auto b = body();
  auto n = parse(headers(b), b);
  EXPECT_EQ(n.id, "EV-2018022511223320873");
  EXPECT_EQ(n.event_type, "TRANSACTION.SUCCESS");
  EXPECT_EQ(n.create_time, "2015-05-20T13:29:35+08:00");
  EXPECT_EQ(n.resource_type, "encrypt-resource");
  EXPECT_EQ(n.summary, "支付成功");
  EXPECT_EQ(n.original_type, "transaction");
  EXPECT_EQ(n.plaintext, kResource);
  EXPECT_EQ(n.json()["amount"]["total"].as<int>(), 100);
}

TEST_F(Notifications, TamperedBodyFails) {
  auto b = body();
  auto h = headers(b);
  auto tampered = b;
  tampered[tampered.find("TRANSACTION")] = 'X';
  expect_rejected(h, tampered, "signature does not verify");
}

TEST_F(Notifications, SkewedTimestampFailsBothWays) {
  auto b = body();
  expect_rejected(headers(b, kNow - 301), b, "301 s away");
  expect_rejected(headers(b, kNow + 301), b, "301 s away");
  EXPECT_NO_THROW(parse(headers(b, kNow - 300), b));
}

TEST_F(Notifications, WrongSigningKeyFails) {
  auto b = body();
  expect_rejected(headers(b, kNow, "stranger"), b, "signature does not verify");
}

TEST_F(Notifications, UnknownSerialMissingHeaderAndOtherSignatureTypeFail) {
  auto b = body();
  auto h = headers(b);
  h.set("Wechatpay-Serial", "5157F09EFDC096DE15EBE81A47057A7232F1B8E1");
  expect_rejected(h, b, "not a known WeChat Pay key");
  h = headers(b);
  h.erase("Wechatpay-Nonce");
  expect_rejected(h, b, "notification lacks the Wechatpay-Nonce header");
  h = headers(b);
  h.set("Wechatpay-Signature-Type", "WECHATPAY2-SM2-WITH-SM3");
  expect_rejected(h, b, "unsupported Wechatpay-Signature-Type");
}

TEST_F(Notifications, WrongApiV3KeyIsAVerificationErrorWithoutTheKey) {
  auto b = body("ZYXWVUTSRQPONMLKJIHGFEDCBA987654");  // sealed by someone with another key
  expect_rejected(headers(b), b, "does not decrypt");
  EXPECT_THROW(parse(headers(b), b, "short"), ConfigError);
}

TEST_F(Notifications, SignedButMalformedBodyIsAnError) {
  for (std::string b : {std::string("not json"), std::string(R"({"id":"x"})")}) {
    try {
      parse(headers(b), b);
      ADD_FAILURE() << b;
    } catch (const VerificationError&) {
      ADD_FAILURE() << "signature was fine: " << b;
    } catch (const Error& e) {
      SUCCEED() << e.what();
    }
  }
}

TEST_F(Notifications, Acknowledgements) {
  auto ok = acknowledge_success();
  EXPECT_EQ(ok.status, 204);
  EXPECT_TRUE(ok.body.empty());
  auto fail = acknowledge_failure("订单\"不存在\"", 500);
  EXPECT_EQ(fail.status, 500);
  EXPECT_EQ(fail.content_type, "application/json");
  EXPECT_EQ(fail.body, R"({"code":"FAIL","message":"订单\"不存在\""})");
}

}  // namespace
}  // namespace wechatpay::v3
