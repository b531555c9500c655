// validate_request on hand-written requests, against the built-in contracts.
#include "wechatpay/contracts/validation.hpp"

#include <gtest/gtest.h>

#include "wechatpay/contracts/registry.hpp"

namespace wechatpay::contracts {
namespace {

const Contract& contract(std::string_view method, std::string_view uri_template) {
  const auto* found = ContractRegistry::builtin()->find(method, uri_template);
  if (!found) throw std::runtime_error("no contract for " + std::string(uri_template));
  return *found;
}

rapidjson::Document parse(std::string_view text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  return doc;
}

std::vector<std::string> error_paths(const ValidationResult& result) {
  std::vector<std::string> paths;
  for (const auto& error : result.errors) paths.push_back(error.path);
  return paths;
}

// A jsapi order with every documented required field; goods_detail has two items.
constexpr std::string_view kJsapiOrder = R"({
  "appid":"wxd678efh567hg6787","mchid":"1230000109","description":"Image形象店-深圳腾大-QQ公仔",
  "out_trade_no":"1217752501201407033233368018","notify_url":"https://www.weixin.qq.com/wxpay/pay.php",
  "amount":{"total":100,"currency":"CNY"},
  "payer":{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
           "identity":{"type":"IDCARD","number":"110101199003077777","name":"张三"}},
  "detail":{"goods_detail":[{"merchant_goods_id":"1","quantity":1,"unit_price":828800},
                            {"merchant_goods_id":"2","quantity":2,"unit_price":100}]}})";

TEST(Validation, TheDocumentedOrderPasses) {
  auto body = parse(kJsapiOrder);
  Headers headers{{"Wechatpay-Serial", "PUB_KEY_ID_0114232134912410000000000000"}};
  auto result = validate_request(contract("POST", "v3/pay/transactions/jsapi"),
                                 {.json = &body, .headers = &headers});
  EXPECT_TRUE(result.ok()) << result.errors.front().path << " " << result.errors.front().problem;
}

TEST(Validation, MissingNestedFieldsAreNamedByTheirPath) {
  auto body = parse(kJsapiOrder);
  body["payer"].RemoveMember("openid");
  body["payer"]["identity"].RemoveMember("number");
  body["detail"]["goods_detail"][1].RemoveMember("quantity");
  auto result = validate_request(contract("POST", "v3/pay/transactions/jsapi"), {.json = &body});
  EXPECT_EQ(error_paths(result),
            (std::vector<std::string>{"detail.goods_detail[1].quantity", "payer.openid",
                                      "payer.identity.number"}));
  for (const auto& error : result.errors) EXPECT_EQ(error.problem, "is required");
}

TEST(Validation, WrongJsonTypesAreErrors) {
  auto body = parse(kJsapiOrder);
  body["amount"]["total"].SetString("100");
  body["detail"]["goods_detail"][0]["unit_price"].SetDouble(1.5);
  body["payer"].SetArray();
  auto result = validate_request(contract("POST", "v3/pay/transactions/jsapi"), {.json = &body});
  ASSERT_EQ(
      error_paths(result),
      (std::vector<std::string>{"amount.total", "detail.goods_detail[0].unit_price", "payer"}));
  EXPECT_EQ(result.errors[0].problem, "must be integer");
  EXPECT_EQ(result.errors[2].problem, "must be object");
}

TEST(Validation, UnknownExtraFieldsPassAndEnumerationsAreOnlyNoted) {
  auto body = parse(kJsapiOrder);
  body.AddMember("field_added_next_year", 1, body.GetAllocator());
  body["payer"]["identity"]["type"].SetString("NEW_KIND_OF_ID");
  auto result = validate_request(contract("POST", "v3/pay/transactions/jsapi"), {.json = &body});
  EXPECT_TRUE(result.ok());
  ASSERT_EQ(result.notes.size(), 1u);
  EXPECT_EQ(result.notes[0].path, "payer.identity.type");
}

TEST(Validation, QueryParamsAndHeadersHaveTheirPrefix) {
  Query query;
  Params params;
  Headers headers;
  auto result = validate_request(contract("GET", "v3/pay/transactions/id/{transaction_id}"),
                                 {.query = &query, .params = &params, .headers = &headers});
  EXPECT_EQ(error_paths(result),
            (std::vector<std::string>{"params.transaction_id", "query.mchid"}));
  query = {{"mchid", "1230000109"}};
  params = {{"transaction_id", "4200000000000000"}};
  EXPECT_TRUE(validate_request(contract("GET", "v3/pay/transactions/id/{transaction_id}"),
                               {.query = &query, .params = &params, .headers = &headers})
                  .ok());
  rapidjson::Document body = parse(R"({"openid":"o","sub_mchid":"1","user_name":"a",
      "id_card_number":"b","employment_type":"LONG_TERM_EMPLOYMENT"})");
  result = validate_request(contract("POST", "v3/payroll-card/tokens"),
                            {.json = &body, .headers = &headers});
  EXPECT_EQ(error_paths(result), (std::vector<std::string>{"headers.Wechatpay-Serial"}));
}

TEST(Validation, TextualPartsAcceptNumbersWrittenAsText) {
  const auto& micropay = contract("POST", "v2/pay/micropay");
  rapidjson::Document xml = parse(R"({"appid":"wx","mch_id":"1900000109","body":"b",
      "out_trade_no":"1","total_fee":"888","spbill_create_ip":"8.8.8.8","auth_code":"134567890123456789"})");
  auto result = validate_request(micropay, {.xml = &xml, .filled_later = {"sign", "nonce_str"}});
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.errors.front().path);
  xml["total_fee"].SetString("eight");
  result = validate_request(micropay, {.xml = &xml, .filled_later = {"sign", "nonce_str"}});
  EXPECT_EQ(error_paths(result), (std::vector<std::string>{"total_fee"}));
  xml["total_fee"].SetInt(888);
  xml.RemoveMember("auth_code");
  result = validate_request(micropay, {.xml = &xml, .filled_later = {"sign", "nonce_str"}});
  EXPECT_EQ(error_paths(result), (std::vector<std::string>{"auth_code"}));
}

}  // namespace
}  // namespace wechatpay::contracts
