// http_errors on 2xx answers: a JSON endpoint must answer JSON.
#include <gtest/gtest.h>

#include "wechatpay/errors.hpp"
#include "wechatpay/v3/verifier.hpp"

namespace wechatpay::v3 {
namespace {

Request request(std::string method, std::string url,
                std::shared_ptr<const Options> options = nullptr) {
  Request r;
  r.method = std::move(method);
  r.url = std::move(url);
  r.options = std::move(options);
  return r;
}

// Runs `request` through http_errors over a terminal answering 200 with `content_type`.
std::exception_ptr answer(const std::string& content_type, std::string body = R"({"a":1})",
                          Request sent = request("POST", "https://h/v3/pay/transactions/native")) {
  HandlerStack stack([&](Request, Completion done) {
    Response response;
    response.status = body.empty() ? 204 : 200;
    if (!content_type.empty()) response.headers.set("Content-Type", content_type);
    response.headers.set("Request-ID", "REQ-1");
    response.body = body;
    done(nullptr, std::move(response));
  });
  stack.push(http_errors(), "http_errors");
  std::exception_ptr outcome;
  (*stack.resolve())(std::move(sent), [&](std::exception_ptr error, Response) { outcome = error; });
  return outcome;
}

TEST(HttpErrorsContentType, JsonTypesPass) {
  EXPECT_FALSE(answer("application/json"));
  EXPECT_FALSE(answer("application/json; charset=utf-8"));
  EXPECT_FALSE(answer("Application/JSON;charset=UTF-8"));
  EXPECT_FALSE(answer("application/problem+json"));
}

TEST(HttpErrorsContentType, OtherTypesOnA2xxBodyAreResponseErrors) {
  for (const char* type : {"text/html; charset=utf-8", "text/plain", "application/xml",
                           "application/jsonp", "application/octet-stream"}) {
    SCOPED_TRACE(type);
    auto error = answer(type);
    ASSERT_TRUE(error);
    try {
      std::rethrow_exception(error);
    } catch (const ApiError&) {
      ADD_FAILURE() << "not an error answer from WeChat Pay";
    } catch (const ResponseError& e) {
      EXPECT_EQ(e.status(), 200);
      EXPECT_EQ(std::string(e.what()),
                std::string("HTTP 200 from POST /v3/pay/transactions/native: "
                            "Content-Type ") +
                    type + " is not JSON (Request-ID REQ-1)");
    }
  }
}

TEST(HttpErrorsContentType, EmptyBodiesUnlabelledBodiesAndDownloadsAreExempt) {
  EXPECT_FALSE(answer("text/html", ""));
  EXPECT_FALSE(answer(""));
  EXPECT_FALSE(answer("text/plain", "bill", request("GET", "https://h/v3/billdownload/file")));
  EXPECT_FALSE(
      answer("image/png", "png", request("GET", "https://h/v3/merchant-service/images/abc")));
  auto streamed = std::make_shared<Options>();
  streamed->on_body = [](std::string_view, std::int64_t) {};
  EXPECT_FALSE(answer("application/gzip", "gz", request("GET", "https://h/v3/x", streamed)));
}

}  // namespace
}  // namespace wechatpay::v3
