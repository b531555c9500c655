#include "uri_template.hpp"

#include <gtest/gtest.h>

#include "wechatpay/errors.hpp"

namespace wechatpay::detail {
namespace {

TEST(UriTemplate, SimpleExpansionEncodesReservedCharactersOnce) {
  Params params{{"id", "a b/c?d&e=f#g%20"}};
  // RFC 6570 section 3.2.2: every byte outside the unreserved set is percent-encoded,
  // including '%' itself, and the result is never encoded again.
  EXPECT_EQ(expand_uri_template("v3/x/{id}", params), "v3/x/a%20b%2Fc%3Fd%26e%3Df%23g%2520");
}

TEST(UriTemplate, ReservedExpansionKeepsReservedAndTriplets) {
  Params params{{"path", "a b/c?d=%20"}};
  EXPECT_EQ(expand_uri_template("v3/{+path}", params), "v3/a%20b/c?d=%20");
}

TEST(UriTemplate, Utf8IsEncodedBytewise) {
  Params params{{"name", "店"}};
  EXPECT_EQ(expand_uri_template("{name}", params), "%E5%BA%97");
}

TEST(UriTemplate, MissingVariableExpandsToEmpty) {
  EXPECT_EQ(expand_uri_template("v3/ecommerce/applyments/{empty}", {}), "v3/ecommerce/applyments/");
}

TEST(UriTemplate, SeveralVariables) {
  Params params{{"sub_mchid", "1900000109"}, {"out_trade_no", "1217752501201407033233368018"}};
  EXPECT_EQ(expand_uri_template("v3/x/{sub_mchid}/y/{out_trade_no}/z", params),
            "v3/x/1900000109/y/1217752501201407033233368018/z");
}

TEST(UriTemplate, MalformedTemplatesAreConfigErrors) {
  EXPECT_THROW(expand_uri_template("v3/{id", {}), ConfigError);
  EXPECT_THROW(expand_uri_template("v3/id}", {}), ConfigError);
  EXPECT_THROW(expand_uri_template("v3/{}", {}), ConfigError);
  EXPECT_THROW(expand_uri_template("v3/{#frag}", {}), ConfigError);
  EXPECT_THROW(expand_uri_template("v3/{a b}", {}), ConfigError);
}

// Found by the uri_template fuzzer's size class: 200,000 `{id}` with a 1 MiB value asked for
// 2 GiB at once. The result is bounded, and a message quoting the template stays short.
TEST(UriTemplate, ExpansionIsBoundedAndMessagesStayShort) {
  std::string repeated;
  for (int i = 0; i < 1000; ++i) repeated += "{id}/";
  EXPECT_THROW(expand_uri_template(repeated, {{"id", std::string(1000, 'x')}}), ConfigError);
  EXPECT_NO_THROW(expand_uri_template(repeated, {{"id", "x"}}));
  try {
    expand_uri_template(std::string(100'000, 'a') + "{", {});
    FAIL() << "accepted";
  } catch (const ConfigError& e) {
    EXPECT_LT(std::string(e.what()).size(), 300u);
  }
}

TEST(QueryEncoding, Rfc3986PairsInOrder) {
  Query query{{"b", "x y"}, {"a", "1+1=2"}, {"c", "~-._"}, {"d", ""}};
  EXPECT_EQ(encode_query(query), "b=x%20y&a=1%2B1%3D2&c=~-._&d=");
  EXPECT_EQ(encode_query({}), "");
}

}  // namespace
}  // namespace wechatpay::detail
