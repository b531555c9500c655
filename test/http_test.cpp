#include "wechatpay/http.hpp"

#include <gtest/gtest.h>

#include "wechatpay/errors.hpp"

namespace wechatpay {
namespace {

TEST(Request, TargetIsPathAndQuery) {
  Request r;
  r.url = "https://api.mch.weixin.qq.com/v3/certificates?algorithm_type=RSA";
  EXPECT_EQ(r.target(), "/v3/certificates?algorithm_type=RSA");
  EXPECT_EQ(r.path(), "/v3/certificates");
  r.url = "https://api.mch.weixin.qq.com";
  EXPECT_EQ(r.target(), "/");
  r.url = "https://h:8443/hk/v3/x#frag";
  EXPECT_EQ(r.target(), "/hk/v3/x");
}

TEST(Response, JsonParsesOrThrowsWithOffset) {
  Response r;
  r.body = R"({"code":"PARAM_ERROR"})";
  EXPECT_EQ(r.json()["code"].as<std::string>(), "PARAM_ERROR");
  r.body = R"({"code":)";
  try {
    r.json();
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("offset"), std::string::npos) << e.what();
  }
}

TEST(Response, RequestIdHeader) {
  Response r;
  r.headers.set("request-id", "08F78BB5AF0610D302839A2D06");
  EXPECT_EQ(r.request_id(), "08F78BB5AF0610D302839A2D06");
}

}  // namespace
}  // namespace wechatpay
