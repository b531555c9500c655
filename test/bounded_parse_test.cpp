// Untrusted JSON and XML: every entry that reads bytes it has not verified stays within the
// limits (no recursion, bounded depth, size and value count) and fails with a typed error.
#include "wechatpay/bounded_parse.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "bounded_xml.hpp"
#include "support/temp_dir.hpp"
#include "wechatpay/errors.hpp"
#include "wechatpay/handler_stack.hpp"
#include "wechatpay/profile.hpp"
#include "wechatpay/v2/stack.hpp"
#include "wechatpay/v2/xml.hpp"
#include "wechatpay/v3/certificates.hpp"
#include "wechatpay/v3/verifier.hpp"

namespace wechatpay {
namespace {

using ::testing::HasSubstr;

// ~200 KB of `[`: before the bound, RapidJSON's recursive parse overflowed the stack on it.
const std::string kDeepArrays(200'000, '[');

std::string deep_xml(std::size_t depth) {
  std::string text;
  for (std::size_t i = 0; i < depth; ++i) text += "<a>";
  for (std::size_t i = 0; i < depth; ++i) text += "</a>";
  return text;
}

std::string message_of(const std::function<void()>& run) {
  try {
    run();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(BoundedJson, ParsesWithinTheLimits) {
  auto doc = parse_bounded_json(R"({"a":[1,{"b":"c"}],"d":null})", "answer");
  ASSERT_TRUE(doc.IsObject());
  EXPECT_STREQ(doc["a"][1]["b"].GetString(), "c");
}

TEST(BoundedJson, DepthSizeAndValueCountAreBounded) {
  const ParseLimits limits{.max_depth = 3, .max_bytes = 64, .max_values = 5};
  EXPECT_NO_THROW(parse_bounded_json("[[[1]]]", "answer", limits));
  EXPECT_EQ(message_of([&] { parse_bounded_json("[[[[1]]]]", "answer", limits); }),
            "answer nests deeper than 3 levels");
  EXPECT_EQ(message_of([&] { parse_bounded_json("[1,2,3,4,5]", "answer", limits); }),
            "answer holds more than 5 values");
  EXPECT_EQ(message_of([&] { parse_bounded_json(std::string(65, ' '), "answer", limits); }),
            "answer is larger than 64 bytes");
  EXPECT_EQ(message_of([&] { parse_bounded_json("{\"a\":", "answer", limits); }),
            "answer is not valid JSON: Invalid value. at offset 5");
  EXPECT_THAT(message_of([&] { parse_bounded_json("{} {}", "answer"); }),
              HasSubstr("not valid JSON"));
}

TEST(BoundedJson, FullPrecisionKeepsDecimalsExact) {
  auto doc = parse_bounded_json("0.1", "n", {}, /*full_precision=*/true);
  EXPECT_EQ(doc.GetDouble(), 0.1);
}

TEST(BoundedJson, DeepNestingIsAnErrorEverywhereJsonIsRead) {
  Response response;
  response.body = kDeepArrays;
  EXPECT_THAT(message_of([&] { (void)response.json(); }), HasSubstr("nests deeper than 64"));
  EXPECT_THAT(message_of([&] { (void)Json::parse(kDeepArrays); }),
              HasSubstr("nests deeper than 64"));
  EXPECT_THAT(
      message_of([&] { (void)v3::decrypt_certificates(kDeepArrays, std::string(32, 'k'), 0); }),
      HasSubstr("nests deeper than 64"));
}

TEST(BoundedJson, ADeepUnsignedErrorPageIsAnApiError) {
  HandlerStack stack([](Request, Completion done) {
    Response response;
    response.status = 502;
    response.body = kDeepArrays;
    done(nullptr, std::move(response));
  });
  stack.push(v3::http_errors(), "http_errors");
  Request request;
  request.method = "GET";
  request.url = "https://h/v3/certificates";
  std::exception_ptr outcome;
  (*stack.resolve())(std::move(request),
                     [&](std::exception_ptr error, Response) { outcome = error; });
  ASSERT_TRUE(outcome);
  try {
    std::rethrow_exception(outcome);
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 502);
    EXPECT_EQ(e.code(), "");
  }
}

TEST(BoundedJson, ADeepProfileIsAConfigError) {
  test::TempDir dir;
  try {
    read_profile(dir.write("profile.json", kDeepArrays).string());
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.field(), "profile");
    EXPECT_THAT(e.what(), HasSubstr("nests deeper than 64"));
  }
}

TEST(BoundedXml, DeepNestingIsAnXmlError) {
  EXPECT_THAT(message_of([] { (void)v2::parse_xml(deep_xml(100'000)); }),
              HasSubstr("XML nests deeper than 64 levels"));
  EXPECT_EQ(v2::parse_xml("<xml>" + deep_xml(63) + "</xml>").size(), 1u);
}

TEST(BoundedXml, ManyFieldsParseAndTheirCountIsBounded) {
  std::string text = "<xml>";
  for (int i = 0; i < 100'000; ++i) {
    text += "<f" + std::to_string(i) + ">" + std::to_string(i) + "</f" + std::to_string(i) + ">";
  }
  text += "</xml>";
  const auto fields = v2::parse_xml(text);
  ASSERT_EQ(fields.size(), 100'000u);
  EXPECT_EQ(fields.at("f99999"), "99999");
  EXPECT_THAT(message_of([&] { v2::parse_xml(text + text); }), HasSubstr("second root"));
}

TEST(BoundedXml, SizeAndElementCountAreBounded) {
  const ParseLimits limits{.max_depth = 2, .max_bytes = 40, .max_values = 3};
  tinyxml2::XMLDocument doc;
  EXPECT_NO_THROW(detail::parse_bounded_xml(doc, "<xml><a/><b>1</b></xml>", limits));
  EXPECT_EQ(message_of([&] { detail::parse_bounded_xml(doc, "<xml><a/><b/><c/></xml>", limits); }),
            "XML holds more than 3 elements");
  EXPECT_NO_THROW(detail::parse_bounded_xml(doc, "<xml><a><b/></a></xml>", limits));
  EXPECT_EQ(
      message_of([&] { detail::parse_bounded_xml(doc, "<xml><a><b></b></a></xml>", limits); }),
      "XML nests deeper than 2 levels");
  EXPECT_EQ(message_of([&] { detail::parse_bounded_xml(doc, std::string(41, ' '), limits); }),
            "XML is larger than 40 bytes");
}

}  // namespace
}  // namespace wechatpay
