#include "wechatpay/v3/signer.hpp"

#include <gtest/gtest.h>

#include "support/openssl_cli.hpp"
#include "support/pki.hpp"
#include "wechatpay/crypto/rsa.hpp"

namespace wechatpay::v3 {
namespace {

using wechatpay::test::openssl;

class Signer : public ::testing::Test {
 protected:
  void SetUp() override {
    key_path_ = dir_.write("merchant.pem", test::cached_rsa_key("merchant").private_pem);
    identity_ = {"1900009191", "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C",
                 crypto::PrivateKey::load(test::cached_rsa_key("merchant").private_pem)};
  }

  // The reference signature: `openssl dgst -sha256 -sign` over the message, base64.
  std::string cli_signature(const std::string& message) {
    auto message_path = dir_.write("message.txt", message);
    return openssl("dgst -sha256 -sign " + key_path_.string() + " " + message_path.string() +
                   " | openssl base64 -A");
  }

  test::TempDir dir_;
  std::filesystem::path key_path_;
  SigningIdentity identity_;
};

TEST_F(Signer, MessageIsFiveLinesEachEndingInNewline) {
  EXPECT_EQ(signing_message("GET", "/v3/certificates", "1554208460",
                            "593BEC0C930BF1AFEB40B4A08C8FB242", ""),
            "GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n");
}

TEST_F(Signer, AuthorizationMatchesOpensslCli) {
  const std::string body = R"({"appid":"wxd678efh567hg6787","mchid":"1900009191"})";
  const std::string target = "/v3/pay/transactions/jsapi?x=a%20b";
  auto expected_signature = cli_signature(
      "POST\n" + target + "\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n" + body + "\n");
  EXPECT_EQ(authorization(identity_, "POST", target, body, "1554208460",
                          "593BEC0C930BF1AFEB40B4A08C8FB242"),
            "WECHATPAY2-SHA256-RSA2048 mchid=\"1900009191\","
            "serial_no=\"1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C\",timestamp=\"1554208460\","
            "nonce_str=\"593BEC0C930BF1AFEB40B4A08C8FB242\",signature=\"" +
                expected_signature + "\"");
}

TEST_F(Signer, EmptyBodyGetMatchesOpensslCli) {
  auto expected = cli_signature("GET\n/v3/certificates\n1554208460\nNONCE\n\n");
  auto header = authorization(identity_, "GET", "/v3/certificates", "", "1554208460", "NONCE");
  EXPECT_TRUE(header.ends_with(",signature=\"" + expected + "\"")) << header;
}

TEST_F(Signer, MiddlewareSignsTheExactTargetAndBodySent) {
  HandlerStack stack([](Request request, Completion done) {
    Response response;
    response.status = 200;
    response.headers.set("X-Authorization", request.headers.value("Authorization"));
    response.body = request.body;
    done(nullptr, std::move(response));
  });
  stack.push(signer(std::make_shared<SigningIdentity>(identity_)), "signer");
  Request request;
  request.method = "PATCH";
  request.url = "https://api.mch.weixin.qq.com/hk/v3/x/%E5%BA%97?b=1&a=2";
  request.body = R"({"k":"店"})";
  Response got;
  (*stack.resolve())(request, [&](std::exception_ptr error, Response response) {
    ASSERT_FALSE(error);
    got = std::move(response);
  });
  auto header = got.headers.value("X-Authorization");
  // Pull timestamp, nonce and signature out of the header and check them against the CLI.
  auto field = [&](const std::string& name) {
    auto start = header.find(name + "=\"") + name.size() + 2;
    return header.substr(start, header.find('"', start) - start);
  };
  EXPECT_EQ(field("nonce_str").size(), 32u);
  EXPECT_NEAR(std::stoll(field("timestamp")), std::time(nullptr), 5);
  EXPECT_EQ(field("signature"),
            cli_signature("PATCH\n/hk/v3/x/%E5%BA%97?b=1&a=2\n" + field("timestamp") + "\n" +
                          field("nonce_str") + "\n" + request.body + "\n"));
}

}  // namespace
}  // namespace wechatpay::v3
