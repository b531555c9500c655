#include "wechatpay/headers.hpp"

#include <gtest/gtest.h>

namespace wechatpay {
namespace {

TEST(Headers, LookupIgnoresCase) {
  Headers h{{"Wechatpay-Serial", "PUB_KEY_ID_1"}, {"Content-Type", "application/json"}};
  EXPECT_EQ(h.value("wechatpay-serial"), "PUB_KEY_ID_1");
  EXPECT_EQ(h.value("CONTENT-TYPE"), "application/json");
  EXPECT_FALSE(h.get("Authorization").has_value());
  EXPECT_EQ(h.value("Authorization"), "");
}

TEST(Headers, SetReplacesEveryCaseVariantAddKeepsThem) {
  Headers h;
  h.add("Accept", "a");
  h.add("accept", "b");
  EXPECT_EQ(h.size(), 2u);
  EXPECT_EQ(h.value("ACCEPT"), "a");
  h.set("ACCEPT", "c");
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h.begin()->first, "ACCEPT");
  EXPECT_EQ(h.begin()->second, "c");
  h.erase("accept");
  EXPECT_TRUE(h.empty());
}

TEST(Headers, KeepsInsertionOrder) {
  Headers h{{"B", "1"}, {"A", "2"}, {"C", "3"}};
  std::string order;
  for (const auto& [name, value] : h) order += name;
  EXPECT_EQ(order, "BAC");
}

TEST(Headers, Iequals) {
  EXPECT_TRUE(iequals("Request-ID", "request-id"));
  EXPECT_FALSE(iequals("Request-ID", "Request-I"));
  EXPECT_FALSE(iequals("abc", "abd"));
  // ASCII letters only: '@' and '`' sit next to 'A' and 'a'; bytes above 0x7f are not folded.
  EXPECT_FALSE(iequals("@", "`"));
  EXPECT_FALSE(iequals("[", "{"));
  EXPECT_FALSE(iequals("\xC4", "\xE4"));
  EXPECT_TRUE(iequals("\xC4", "\xC4"));
}

TEST(Headers, FindGivesTheFirstValueWithoutACopy) {
  Headers h{{"Accept", "a"}};
  h.add("ACCEPT", "b");
  const std::string* found = h.find("accept");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(*found, "a");
  EXPECT_EQ(found, &h.begin()->second);
  EXPECT_EQ(h.find("Accept-Language"), nullptr);
  EXPECT_TRUE(h.contains("aCCEPT"));
}

}  // namespace
}  // namespace wechatpay
