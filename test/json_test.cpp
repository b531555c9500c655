#include "wechatpay/json.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "wechatpay/errors.hpp"

namespace wechatpay {
namespace {

TEST(Json, LiteralReadsLikeAPhpArray) {
  Json body = {{"appid", "wxd678efh567hg6787"},
               {"amount", {{"total", 100}, {"currency", "CNY"}}},
               {"goods", Json::array({"a", "b"})},
               {"paid", false},
               {"rate", 0.5},
               {"none", nullptr}};
  EXPECT_EQ(body.dump(), R"({"appid":"wxd678efh567hg6787","amount":{"total":100,"currency":"CNY"},)"
                         R"("goods":["a","b"],"paid":false,"rate":0.5,"none":null})");
}

TEST(Json, ListsThatAreNotPairsAreArrays) {
  EXPECT_EQ(Json({1, 2, 3}).dump(), "[1,2,3]");
  EXPECT_EQ(Json({"a", 1, true}).dump(), R"(["a",1,true])");
  EXPECT_EQ(Json::array({}).dump(), "[]");
  EXPECT_EQ(Json::object({}).dump(), "{}");
  // An explicit array of pairs stays an array.
  EXPECT_EQ(Json::array({Json::array({"k", "v"})}).dump(), R"([["k","v"]])");
}

TEST(Json, KeepsMemberOrderAndUtf8WithoutEscapingSlashes) {
  Json body = {{"z", "爱马哥南山店"}, {"a", "https://x/y"}};
  EXPECT_EQ(body.dump(), "{\"z\":\"爱马哥南山店\",\"a\":\"https://x/y\"}");
}

TEST(Json, EscapesControlCharactersAndQuotes) {
  Json body = {{"s", "a\"b\\c\nd"}};
  EXPECT_EQ(body.dump(), R"({"s":"a\"b\\c\nd"})");
}

TEST(Json, IntegersKeepTheirFullRange) {
  Json body = {{"max", std::numeric_limits<std::int64_t>::max()},
               {"umax", std::numeric_limits<std::uint64_t>::max()},
               {"neg", -5}};
  EXPECT_EQ(body.dump(), R"({"max":9223372036854775807,"umax":18446744073709551615,"neg":-5})");
}

TEST(Json, RawTextIsSentAsIs) {
  Json body = {{"detail", Json::raw(R"({"x":[1, 2]})")}};
  EXPECT_EQ(body.dump(), R"({"detail":{"x":[1, 2]}})");
}

TEST(Json, FromRapidJsonValue) {
  rapidjson::Document doc;
  doc.Parse(R"({"a":{"b":[1,2.5,"c",null,true]},"n":-7})");
  Json copy(static_cast<const rapidjson::Value&>(doc));
  EXPECT_EQ(copy.dump(), R"({"a":{"b":[1,2.5,"c",null,true]},"n":-7})");
}

// to_rapidjson builds the value directly; it must equal RapidJSON's parse of the text sent,
// number kinds included (contract checks look at IsInt64, IsUint64, IsDouble).
TEST(Json, ToRapidJsonEqualsTheParseOfItsText) {
  Json body = {{"max", std::numeric_limits<std::int64_t>::max()},
               {"umax", std::numeric_limits<std::uint64_t>::max()},
               {"neg", -5},
               {"small", 7},
               {"half", 0.5},
               {"two", 2.0},
               {"s", "a\"b\n\u4e2d"},
               {"absent", Json()},
               {"list", Json::array({1, "x", nullptr, false, Json::object({{"k", "v"}})})},
               {"raw", Json::raw(R"({"x":[1,2.5]})")}};
  rapidjson::Document built;
  body.to_rapidjson(built, built.GetAllocator());
  rapidjson::Document parsed;
  const std::string text = body.dump();
  parsed.Parse(text.data(), text.size());
  ASSERT_FALSE(parsed.HasParseError());
  EXPECT_TRUE(built == parsed);
  EXPECT_FALSE(built.HasMember("absent"));
  EXPECT_TRUE(built["umax"].IsUint64() && !built["umax"].IsInt64());
  EXPECT_TRUE(built["neg"].IsInt() && built["small"].IsUint());
  EXPECT_TRUE(built["two"].IsDouble());
  EXPECT_EQ(Json(static_cast<const rapidjson::Value&>(built)).dump(), text);
}

TEST(Json, ToRapidJsonRefusesWhatDumpRefuses) {
  rapidjson::Document out;
  EXPECT_THROW(Json().to_rapidjson(out, out.GetAllocator()), Error);
  EXPECT_THROW(Json({{"x", std::nan("")}}).to_rapidjson(out, out.GetAllocator()), Error);
  EXPECT_THROW(Json({{"x", Json::raw("{not json")}}).to_rapidjson(out, out.GetAllocator()), Error);
}

TEST(Json, ParseRejectsMalformedText) {
  EXPECT_EQ(Json::parse(R"( {"a" : 1} )"), Json({{"a", 1}}));
  EXPECT_THROW(Json::parse(R"({"a":)"), Error);
  EXPECT_THROW(Json::parse(""), Error);
}

TEST(Json, AbsentIsNotNull) {
  Json absent;
  EXPECT_TRUE(absent.is_absent());
  EXPECT_FALSE(absent.is_null());
  EXPECT_THROW(absent.dump(), Error);
  Json with_absent = {{"a", 1}, {"b", Json()}};
  EXPECT_EQ(with_absent.dump(), R"({"a":1})");
}

TEST(Json, NonFiniteNumbersAreRejected) {
  Json nan = {{"x", std::nan("")}};
  EXPECT_THROW(nan.dump(), Error);
}

TEST(Json, AccessorsAndSet) {
  Json body = {{"a", "x"}};
  EXPECT_EQ(body.find("a")->str(), "x");
  EXPECT_EQ(body.find("missing"), nullptr);
  body.set("a", 2).set("b", "y");
  EXPECT_EQ(body.dump(), R"({"a":2,"b":"y"})");
  EXPECT_THROW(body.items(), Error);
  EXPECT_THROW(Json(1).str(), Error);
  Json fresh;
  fresh.set("k", "v");
  EXPECT_EQ(fresh.dump(), R"({"k":"v"})");
}

TEST(Json, ArraysAndObjectsGrowInALoop) {
  Json goods = Json::array();
  EXPECT_EQ(goods.dump(), "[]");
  for (int i = 1; i <= 3; ++i) goods.push_back({{"id", "G" + std::to_string(i)}, {"quantity", i}});
  Json grown;  // absent becomes an array
  grown.push_back(1).push_back("two");
  Json detail = Json::object();
  detail.set("goods_detail", goods).set("n", 3);
  EXPECT_EQ(detail.dump(), R"({"goods_detail":[{"id":"G1","quantity":1},{"id":"G2","quantity":2},)"
                           R"({"id":"G3","quantity":3}],"n":3})");
  EXPECT_EQ(grown.dump(), R"([1,"two"])");
  EXPECT_THROW(detail.push_back(1), Error);
  EXPECT_THROW(goods.set("k", 1), Error);
}

TEST(Json, ToTextGivesScalarsAsStrings) {
  EXPECT_EQ(Json("abc").to_text(), "abc");
  EXPECT_EQ(Json(42).to_text(), "42");
  EXPECT_EQ(Json(true).to_text(), "true");
  EXPECT_EQ(Json({{"a", 1}}).to_text(), R"({"a":1})");
}

}  // namespace
}  // namespace wechatpay
