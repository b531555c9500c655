#include "wechatpay/v3/pay_sign.hpp"

#include <gtest/gtest.h>

#include "support/openssl_cli.hpp"
#include "support/pki.hpp"
#include "wechatpay/client.hpp"
#include "wechatpay/crypto/rsa.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::v3 {
namespace {

class PaySign : public ::testing::Test {
 protected:
  // The reference: `openssl dgst -sha256 -sign` over the hand-written message, base64.
  std::string cli_signature(const std::string& message) {
    auto key_path = dir_.write("merchant.pem", test::cached_rsa_key("merchant").private_pem);
    auto message_path = dir_.write("message.txt", message);
    return test::openssl("dgst -sha256 -sign " + key_path.string() + " " + message_path.string() +
                         " | openssl base64 -A");
  }

  test::TempDir dir_;
  crypto::PrivateKey key_ = crypto::PrivateKey::load(test::cached_rsa_key("merchant").private_pem);
};

TEST_F(PaySign, JsapiMatchesOpensslOverTheDocumentedFourLines) {
  auto params = jsapi_pay_params(key_, "wx8888888888888888", "wx201410272009395522657a690389285100",
                                 1414561699, "5K8264ILTKCH16CQ2502SI8ZNMTM67VS");
  EXPECT_EQ(params.pay_sign,
            cli_signature("wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\n"
                          "prepay_id=wx201410272009395522657a690389285100\n"));
  EXPECT_EQ(params.json().dump(),
            R"({"appId":"wx8888888888888888","timeStamp":"1414561699",)"
            R"("nonceStr":"5K8264ILTKCH16CQ2502SI8ZNMTM67VS",)"
            R"("package":"prepay_id=wx201410272009395522657a690389285100","signType":"RSA",)"
            R"("paySign":")" +
                params.pay_sign + R"("})");
}

TEST_F(PaySign, AppMatchesOpensslOverTheDocumentedFourLines) {
  auto params =
      app_pay_params(key_, "wx8888888888888888", "1900000109", "WX1217752501201407033233368018",
                     1414561699, "5K8264ILTKCH16CQ2502SI8ZNMTM67VS");
  EXPECT_EQ(params.sign,
            cli_signature("wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\n"
                          "WX1217752501201407033233368018\n"));
  EXPECT_EQ(params.json().dump(),
            R"({"appid":"wx8888888888888888","partnerid":"1900000109",)"
            R"("prepayid":"WX1217752501201407033233368018","package":"Sign=WXPay",)"
            R"("noncestr":"5K8264ILTKCH16CQ2502SI8ZNMTM67VS","timestamp":"1414561699",)"
            R"("sign":")" +
                params.sign + R"("})");
}

TEST_F(PaySign, DefaultsAreNowAndAFreshNonce) {
  auto a = jsapi_pay_params(key_, "wx1", "p1");
  auto b = jsapi_pay_params(key_, "wx1", "p1");
  EXPECT_EQ(a.nonce_str.size(), 32u);
  EXPECT_NE(a.nonce_str, b.nonce_str);
  EXPECT_NEAR(std::stoll(a.time_stamp), static_cast<long long>(std::time(nullptr)), 5);
  EXPECT_TRUE(crypto::rsa_verify_sha256(
      crypto::PublicKey::of(key_),
      a.app_id + "\n" + a.time_stamp + "\n" + a.nonce_str + "\n" + a.package + "\n", a.pay_sign));
}

// No request is sent: the client only lends its merchant key.
class NoTransport : public Transport {
 public:
  void send(Request, Completion done) override {
    done(std::make_exception_ptr(TransportError("no transport")), {});
  }
  bool on_io_thread() const override { return false; }
};

TEST_F(PaySign, TheClientSignsWithItsOwnMerchantKey) {
  Client client({.mchid = "1900000109",
                 .serial = "3775B6A45ACD588826D15E583A95F5DD2A5C6A74",
                 .private_key = test::cached_rsa_key("merchant").private_pem,
                 .certs = {{"PUB_KEY_ID_0114232134912410000000000000",
                            test::cached_rsa_key("platform").public_pem}},
                 .transport = std::make_shared<NoTransport>()});
  Response prepay;
  prepay.status = 200;
  prepay.body = R"({"prepay_id":"wx201410272009395522657a690389285100"})";

  auto jsapi = client.jsapi_pay_params("wx8888888888888888", prepay);
  EXPECT_EQ(jsapi.package, "prepay_id=wx201410272009395522657a690389285100");
  EXPECT_EQ(jsapi.pay_sign, cli_signature("wx8888888888888888\n" + jsapi.time_stamp + "\n" +
                                          jsapi.nonce_str + "\n" + jsapi.package + "\n"));
  auto app = client.app_pay_params("wx8888888888888888", prepay);
  EXPECT_EQ(app.partnerid, "1900000109");  // the client's mchid
  EXPECT_EQ(app.prepayid, "wx201410272009395522657a690389285100");
  EXPECT_EQ(app.sign, cli_signature("wx8888888888888888\n" + app.timestamp + "\n" + app.noncestr +
                                    "\n" + app.prepayid + "\n"));
  EXPECT_EQ(client.jsapi_pay_params("wx1", "p1").package, "prepay_id=p1");

  // An answer without a prepay_id names what is missing.
  prepay.body = R"({"code_url":"weixin://wxpay/bizpayurl?pr=x"})";
  try {
    client.jsapi_pay_params("wx8888888888888888", prepay);
    FAIL() << "expected a JsonReadError";
  } catch (const JsonReadError& e) {
    EXPECT_STREQ(e.what(), "prepay_id: missing");
  }
}

}  // namespace
}  // namespace wechatpay::v3
