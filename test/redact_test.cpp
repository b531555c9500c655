#include "wechatpay/redact.hpp"

#include <gtest/gtest.h>

namespace wechatpay {
namespace {

TEST(Redacted, AuthorizationKeepsSchemeMchidAndSerialOnly) {
  const std::string authorization =
      R"(WECHATPAY2-SHA256-RSA2048 mchid="1900000001",nonce_str="n0nce",)"
      R"(signature="c2lnbmF0dXJl",timestamp="1554208460",serial_no="1DDE55AD98ED71D6")";
  const auto shown = redacted_header("authorization", authorization);
  EXPECT_EQ(shown, R"(WECHATPAY2-SHA256-RSA2048 mchid="1900000001",serial_no="1DDE55AD98ED71D6")");
  EXPECT_EQ(redacted_header("Proxy-Authorization", "Basic dXNlcjpwYXNz"), "***");
  EXPECT_EQ(redacted_header("Cookie", "session=1"), "***");
  EXPECT_EQ(redacted_header("Wechatpay-Serial", "PUB_KEY_ID_1"), "PUB_KEY_ID_1");
}

TEST(Redacted, UrlHidesTheApiV2Sign) {
  EXPECT_EQ(redacted_url("https://api.mch.weixin.qq.com/pay/downloadbill?a=1&sign=ABC&b=2"),
            "https://api.mch.weixin.qq.com/pay/downloadbill?a=1&sign=***&b=2");
  EXPECT_EQ(redacted_url("https://h/v3/x?mchid=1"), "https://h/v3/x?mchid=1");
}

}  // namespace
}  // namespace wechatpay
