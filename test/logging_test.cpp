#include "wechatpay/logging.hpp"

#include <gtest/gtest.h>

#include "redact.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay {
namespace {

constexpr const char* kAuthorization =
    R"(WECHATPAY2-SHA256-RSA2048 mchid="1900000001",serial_no="5157F09EFDC096DE15EBE81A47057A72",)"
    R"(timestamp="1554208460",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",)"
    R"(signature="uOVRnA4qG/MNnYzdQxJanN+zU+lTgIcnU9BxGw5dKjK+VdEUz2FeIoC+D5sB/LN+nGzX3hfZg6r5wT1pl2ZobmIc6p0ldN7J6yDgUzbX8Uk3sD4a4eZVPTBvqNDoUqcYMlZ9uuDdCvNv4TM3c1WzsXUrExwVkI1XO5jCNbgDJ25nkT/c1gIFvqoogl7MdSFGc4W4xZsqCItnqbypR3RuGIlR9h9vlRsy7zJR9PBI83X8alLDIfR1ukt1P7tMnmogZ0cuDY8cZsd8ZlCgLadmvej58SLsIkVxFJ8XyUgx9FmutKSYTmYtWBZ0+tNvfGmbXU7cob8H/4nLBiCwIUFluw==")";

TEST(Redact, AuthorizationKeepsSchemeMchidAndSerialOnly) {
  EXPECT_EQ(
      detail::redact_authorization(kAuthorization),
      R"(WECHATPAY2-SHA256-RSA2048 mchid="1900000001",serial_no="5157F09EFDC096DE15EBE81A47057A72")");
  EXPECT_EQ(detail::redact_authorization(R"(Basic dXNlcjpwYXNz)"), "***");
  EXPECT_EQ(detail::redact_authorization(""), "***");
  // A field name inside another (sub_mchid) is not mistaken for mchid.
  EXPECT_EQ(detail::redact_authorization(R"(S sub_mchid="2",serial_no="X",mchid="1")"),
            R"(S mchid="1",serial_no="X")");
}

TEST(Redact, UrlHidesSignQueryValuesOnly) {
  EXPECT_EQ(detail::redact_url("https://h/pay/downloadbill?appid=wx1&sign=ABCDEF&nonce_str=n"),
            "https://h/pay/downloadbill?appid=wx1&sign=***&nonce_str=n");
  EXPECT_EQ(detail::redact_url("https://h/a?paySign=Z&SIGN=Y&signature_type=k"),
            "https://h/a?paySign=***&SIGN=***&signature_type=k");
  EXPECT_EQ(detail::redact_url("https://h/v3/pay/transactions/id/42"),
            "https://h/v3/pay/transactions/id/42");
  EXPECT_EQ(detail::redact_url("https://h/a?"), "https://h/a?");
}

struct Captured {
  std::vector<std::pair<LogLevel, std::string>> lines;
  Logger logger() {
    return [this](LogLevel level, std::string_view line) { lines.emplace_back(level, line); };
  }
};

Request signed_request() {
  Request request;
  request.method = "POST";
  request.url = "https://api.mch.weixin.qq.com/v3/pay/transactions/native";
  request.headers.set("Authorization", kAuthorization);
  request.body = R"({"out_trade_no":"T1"})";
  return request;
}

TEST(Logging, OneLineForTheRequestAndOneForTheResponse) {
  Captured captured;
  HandlerStack stack([](Request, Completion done) {
    Response response;
    response.status = 200;
    response.headers.set("Request-ID", "08DE8A2B");
    response.body = "0123456789";
    done(nullptr, std::move(response));
  });
  stack.push(logging(captured.logger()), "logging");
  (*stack.resolve())(signed_request(), [](std::exception_ptr error, Response response) {
    EXPECT_FALSE(error);
    EXPECT_EQ(response.body, "0123456789");
  });
  ASSERT_EQ(captured.lines.size(), 2u);
  EXPECT_EQ(captured.lines[0].first, LogLevel::debug);
  EXPECT_EQ(captured.lines[0].second,
            "--> POST https://api.mch.weixin.qq.com/v3/pay/transactions/native, 21 body bytes, "
            R"(Authorization WECHATPAY2-SHA256-RSA2048 mchid="1900000001",)"
            R"(serial_no="5157F09EFDC096DE15EBE81A47057A72")");
  const std::string& response = captured.lines[1].second;
  EXPECT_TRUE(response.starts_with(
      "<-- 200 POST https://api.mch.weixin.qq.com/v3/pay/transactions/native, Request-ID "
      "08DE8A2B, "))
      << response;
  EXPECT_TRUE(response.ends_with(" ms, 10 body bytes")) << response;
}

TEST(Logging, FailuresAreLoggedAndPassedOnAndAThrowingLoggerIsHarmless) {
  HandlerStack stack([](Request, Completion done) {
    done(std::make_exception_ptr(TimeoutError("POST https://h/v3/x: timed out")), Response{});
  });
  std::vector<std::string> lines;
  stack.push(logging([&](LogLevel, std::string_view line) {
               lines.emplace_back(line);
               throw std::runtime_error("logger broke");
             }),
             "logging");
  int completions = 0;
  (*stack.resolve())(signed_request(), [&](std::exception_ptr error, Response) {
    ++completions;
    EXPECT_THROW(std::rethrow_exception(error), TimeoutError);
  });
  EXPECT_EQ(completions, 1);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(lines[1].starts_with("<-- failed POST https://api.mch.weixin.qq.com/v3/"));
  EXPECT_TRUE(lines[1].ends_with(" ms: POST https://h/v3/x: timed out")) << lines[1];
}

TEST(Logging, NeedsALogger) {
  EXPECT_THROW(logging(Logger{}), ConfigError);
}

}  // namespace
}  // namespace wechatpay
