#include "wechatpay/json_view.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "wechatpay/errors.hpp"
#include "wechatpay/http.hpp"

namespace wechatpay {
namespace {

constexpr const char* kTransaction =
    R"({"out_trade_no":"T1","amount":{"total":100,"currency":"CNY"},"paid":true,"rate":0.5,)"
    R"("big":12345678901,"huge":18446744073709551615,"negative":-1,"note":null,)"
    R"("promotion_detail":[{"coupon_id":"C1","amount":10},{"coupon_id":"C2","amount":20}]})";

// The read error `read` throws; fails the test when it throws nothing or something else.
template <typename Read>
JsonReadError read_error(Read read) {
  try {
    read();
  } catch (const JsonReadError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a JsonReadError";
  return JsonReadError("", "", Response{});
}

Response answer(std::string body) {
  Response response;
  response.status = 200;
  response.headers.set("Request-ID", "08F78BB5AF0D11EE9B7E");
  response.body = std::move(body);
  return response;
}

TEST(JsonView, ReadsNestedValuesOfEveryType) {
  auto json = answer(kTransaction).json();
  EXPECT_EQ(json["out_trade_no"].as<std::string>(), "T1");
  EXPECT_EQ(json["out_trade_no"].as<std::string_view>(), "T1");
  EXPECT_EQ(json["amount"]["total"].as<std::int64_t>(), 100);
  EXPECT_EQ(json["amount"]["total"].as<int>(), 100);
  EXPECT_EQ(json["amount"]["total"].as<std::uint8_t>(), 100u);
  EXPECT_DOUBLE_EQ(json["amount"]["total"].as<double>(), 100.0);
  EXPECT_DOUBLE_EQ(json["rate"].as<double>(), 0.5);
  EXPECT_TRUE(json["paid"].as<bool>());
  EXPECT_EQ(json["big"].as<std::int64_t>(), 12345678901);
  EXPECT_EQ(json["huge"].as<std::uint64_t>(), std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(json["promotion_detail"][1]["coupon_id"].as<std::string>(), "C2");
}

TEST(JsonView, IndexingNeverThrowsAndAbsenceIsVisible) {
  auto json = answer(kTransaction).json();
  EXPECT_FALSE(json["missing"].exists());
  EXPECT_FALSE(json["missing"]["deeper"][3].exists());
  EXPECT_FALSE(json["out_trade_no"]["x"].exists());  // a string has no members
  EXPECT_FALSE(json["promotion_detail"][2].exists());
  EXPECT_FALSE(json["promotion_detail"][-1].exists());
  EXPECT_FALSE(JsonView()["a"][0].exists());
  EXPECT_TRUE(json["note"].exists());
  EXPECT_TRUE(json["note"].is_null());
  EXPECT_TRUE(json.contains("amount"));
  EXPECT_FALSE(json.contains("nope"));
  EXPECT_FALSE(json["amount"]["total"].contains("x"));
}

TEST(JsonView, AMissingValueNamesItsPath) {
  auto json = answer(kTransaction).json();
  auto e = read_error([&] { json["amount"]["refund"].as<std::int64_t>(); });
  EXPECT_EQ(e.path(), "amount.refund");
  EXPECT_EQ(e.problem(), "missing");
  EXPECT_STREQ(e.what(), "amount.refund: missing");
  // The answer it came from travels with the error.
  EXPECT_EQ(e.status(), 200);
  EXPECT_EQ(e.request_id(), "08F78BB5AF0D11EE9B7E");

  e = read_error([&] { json["payer"]["openid"].as<std::string>(); });
  EXPECT_STREQ(e.what(), "payer.openid: missing (payer is missing)");
  e = read_error([&] { json["out_trade_no"]["id"].as<std::string>(); });
  EXPECT_STREQ(e.what(), "out_trade_no.id: missing (out_trade_no is string)");
  e = read_error([&] { json["promotion_detail"][5]["coupon_id"].as<std::string>(); });
  EXPECT_STREQ(e.what(), "promotion_detail[5].coupon_id: missing (promotion_detail has 2 items)");
  e = read_error([&] { json["promotion_detail"][7].dump(); });
  EXPECT_STREQ(e.what(), "promotion_detail[7]: missing (promotion_detail has 2 items)");
  e = read_error([&] { json["promotion_detail"][-1].dump(); });
  EXPECT_STREQ(e.what(), "promotion_detail[-1]: missing (indexes start at 0)");
}

TEST(JsonView, AValueOfAnotherKindNamesBoth) {
  auto json = answer(R"({"token":42,"list":[true],"o":{}})").json();
  EXPECT_STREQ(read_error([&] { json["token"].as<std::string>(); }).what(),
               "token: expected string, got number");
  EXPECT_STREQ(read_error([&] { json["list"][0].as<int>(); }).what(),
               "list[0]: expected integer, got bool");
  EXPECT_STREQ(read_error([&] { json["o"].as<bool>(); }).what(), "o: expected bool, got object");
  EXPECT_STREQ(read_error([&] { json.as<double>(); }).what(),
               "(root): expected number, got object");
  // A null is not a string either.
  EXPECT_STREQ(read_error([&] { answer(R"({"s":null})").json()["s"].as<std::string>(); }).what(),
               "s: expected string, got null");
}

TEST(JsonView, ControlCharactersInNamesAreShownEscaped) {
  auto json = answer("{\"a\\u0000b\\nc\":1}").json();
  auto e = read_error([&] { json[std::string_view("a\0b\nc", 5)].as<std::string>(); });
  EXPECT_EQ(e.path(), std::string("a\0b\nc", 5));
  EXPECT_STREQ(e.what(), "a\\x00b\\x0ac: expected string, got number");
}

TEST(JsonView, IntegersThatDoNotFitAreErrorsNotTruncations) {
  auto json = answer(kTransaction).json();
  EXPECT_STREQ(read_error([&] { json["big"].as<std::int32_t>(); }).what(),
               "big: 12345678901 does not fit int32");
  EXPECT_STREQ(read_error([&] { json["huge"].as<std::int64_t>(); }).what(),
               "huge: 18446744073709551615 does not fit int64");
  EXPECT_STREQ(read_error([&] { json["negative"].as<unsigned>(); }).what(),
               "negative: -1 does not fit uint32");
  EXPECT_STREQ(read_error([&] { json["big"].as<std::uint16_t>(); }).what(),
               "big: 12345678901 does not fit uint16");
  EXPECT_EQ(json["amount"]["total"].as<std::int8_t>(), 100);
  EXPECT_STREQ(read_error([&] { json["rate"].as<int>(); }).what(),
               "rate: expected integer, got number 0.5");
  EXPECT_EQ(json["negative"].as<std::int8_t>(), -1);
}

TEST(JsonView, OptionalAndDefaultReadsCoverAbsentAndNull) {
  auto json = answer(kTransaction).json();
  EXPECT_EQ(json["missing"].as_optional<std::string>(), std::nullopt);
  EXPECT_EQ(json["note"].as_optional<std::string>(), std::nullopt);
  EXPECT_EQ(json["out_trade_no"].as_optional<std::string>(), "T1");
  EXPECT_EQ(json["missing"].value_or("NOTPAY"), "NOTPAY");
  EXPECT_EQ(json["out_trade_no"].value_or("NOTPAY"), "T1");
  EXPECT_EQ(json["amount"]["refund"].value_or(0), 0);
  EXPECT_EQ(json["amount"]["total"].value_or(0), 100);
  // Present but of another kind is still an error: a default would hide a changed answer.
  EXPECT_STREQ(read_error([&] { json["amount"].value_or(0); }).what(),
               "amount: expected integer, got object");
  EXPECT_STREQ(read_error([&] { json["big"].as_optional<std::int32_t>(); }).what(),
               "big: 12345678901 does not fit int32");
}

TEST(JsonView, IteratesArraysAndObjects) {
  auto json = answer(kTransaction).json();
  std::vector<std::string> coupons;
  std::vector<std::string> paths;
  for (auto promotion : json["promotion_detail"]) {
    coupons.push_back(promotion["coupon_id"].as<std::string>());
    paths.push_back(promotion.path());
  }
  EXPECT_EQ(coupons, (std::vector<std::string>{"C1", "C2"}));
  EXPECT_EQ(paths, (std::vector<std::string>{"promotion_detail[0]", "promotion_detail[1]"}));
  EXPECT_EQ(json["promotion_detail"].size(), 2u);

  std::map<std::string, std::string> amount;
  for (auto [name, value] : json["amount"].members()) amount[std::string(name)] = value.dump();
  EXPECT_EQ(amount,
            (std::map<std::string, std::string>{{"total", "100"}, {"currency", "\"CNY\""}}));
  EXPECT_EQ(json["amount"].size(), 2u);
  EXPECT_EQ(json["amount"].members().size(), 2u);

  // Absent and null iterate as empty; another kind is an error naming the path.
  int count = 0;
  for (auto item : json["missing"]) count += item.exists();
  for (auto item : json["note"]) count += item.exists();
  for (auto member : json["missing"].members()) count += member.second.exists();
  EXPECT_EQ(count, 0);
  EXPECT_STREQ(read_error([&] { (void)json["amount"].begin(); }).what(),
               "amount: expected array, got object");
  EXPECT_STREQ(read_error([&] { (void)json["promotion_detail"].members(); }).what(),
               "promotion_detail: expected object, got array");
}

TEST(JsonView, DumpsAndExposesTheDocument) {
  auto json = answer(kTransaction).json();
  EXPECT_EQ(json["amount"].dump(), R"({"total":100,"currency":"CNY"})");
  EXPECT_EQ(json["out_trade_no"].dump(), R"("T1")");
  EXPECT_STREQ(read_error([&] { json["none"].dump(); }).what(), "none: missing");
  ASSERT_NE(json["amount"].rapidjson(), nullptr);
  EXPECT_TRUE(json["amount"].rapidjson()->IsObject());
  EXPECT_EQ(json["missing"].rapidjson(), nullptr);
  EXPECT_TRUE(json.document().HasMember("promotion_detail"));
  EXPECT_THROW(JsonView().document(), Error);
}

TEST(JsonView, OutlivesTheResponseItCameFrom) {
  JsonView amount;
  {
    auto response = answer(kTransaction);
    amount = response.json()["amount"];
  }
  EXPECT_EQ(amount["currency"].as<std::string>(), "CNY");
}

TEST(JsonView, ReadsTheDecryptedBodyWhenSet) {
  auto response = answer(R"({"name":"ciphertext"})");
  EXPECT_EQ(response.json()["name"].as<std::string>(), "ciphertext");
  response.decrypted_body = R"({"name":"张三"})";
  EXPECT_EQ(response.json()["name"].as<std::string>(), "张三");
}

TEST(JsonView, InvalidJsonIsAnErrorWithTheOffset) {
  try {
    answer(R"({"code":)").json();
    FAIL() << "expected an error";
  } catch (const JsonReadError&) {
    FAIL() << "a parse error is not a read error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "response body is not valid JSON: Invalid value. at offset 8");
  }
  EXPECT_THROW(JsonView::parse(""), Error);
  EXPECT_EQ(JsonView::parse("[1,2]")[1].as<int>(), 2);
}

}  // namespace
}  // namespace wechatpay
