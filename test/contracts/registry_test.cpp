#include "wechatpay/contracts/registry.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "contracts/embedded_data.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::contracts {
namespace {

const Field* field_named(const std::vector<Field>& fields, std::string_view name) {
  for (const auto& field : fields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

TEST(ContractRegistry, BuiltinHoldsEveryDocumentedEndpointAndEvent) {
  auto registry = ContractRegistry::builtin();
  EXPECT_EQ(registry->contracts().size(), 1147u);
  EXPECT_EQ(registry->events().size(), 115u);
  std::set<std::string> apis;
  for (const auto* contract : registry->contracts()) {
    apis.insert(contract->api == Api::v2 ? "v2" : "v3");
  }
  EXPECT_EQ(apis, (std::set<std::string>{"v2", "v3"}));
}

// The built-in registry indexes rows by their leading keys and parses each on first lookup:
// every row must be found under the key its full parse gives.
TEST(ContractRegistry, LazilyIndexedRowsAreFoundUnderTheirParsedKeys) {
  auto eager = ContractRegistry::with(
      {detail::inflate(detail::embedded_contracts()), detail::inflate(detail::embedded_events())},
      nullptr);
  auto lazy = detail::load_embedded_registry();
  for (const auto* contract : eager->contracts()) {
    const auto* found = lazy->find(contract->method, contract->uri_template);
    ASSERT_NE(found, nullptr) << contract->method << " " << contract->uri_template;
    EXPECT_EQ(found->doc, contract->doc);
  }
  for (const auto* event : eager->events()) {
    const auto* found = lazy->find_event(event->api, event->event);
    ASSERT_NE(found, nullptr) << event->event;
    EXPECT_EQ(found->doc, event->doc);
  }
}

// First lookups racing on a fresh registry parse the row once and share it (TSan runs this).
TEST(ConcurrencyContracts, RacingFirstLookupsShareOneParse) {
  auto registry = detail::load_embedded_registry();
  std::vector<const Contract*> seen(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([&, i] { seen[i] = registry->find("POST", "v3/pay/transactions/jsapi"); });
  }
  for (auto& thread : threads) thread.join();
  ASSERT_NE(seen[0], nullptr);
  for (const auto* contract : seen) EXPECT_EQ(contract, seen[0]);
}

// WeChat Pay's APIv2 tables mark both halves of an either/or pair as required (an order is
// named by transaction_id or by out_trade_no); data/contracts/corrections.jsonl says so.
TEST(ContractRegistry, CorrectionsMakeEitherOrIdentifiersOptional) {
  auto registry = ContractRegistry::builtin();
  for (const char* uri_template : {"v2/pay/orderquery", "v2/secapi/pay/refund"}) {
    const auto* contract = registry->find("POST", uri_template);
    ASSERT_NE(contract, nullptr) << uri_template;
    for (const char* name : {"transaction_id", "out_trade_no"}) {
      const auto* field = field_named(contract->request.xml, name);
      ASSERT_NE(field, nullptr) << uri_template << " " << name;
      EXPECT_FALSE(field->required) << uri_template << " " << name;
    }
    const auto* appid = field_named(contract->request.xml, "appid");
    ASSERT_NE(appid, nullptr);
    EXPECT_TRUE(appid->required) << "only the either/or fields are corrected";
  }
  EXPECT_EQ(registry->contracts().size(), 1147u) << "a correction replaces, never adds";
}

TEST(ContractRegistry, PayrollCardTokensAsTheSeedPageDocumentsIt) {
  const auto* contract = ContractRegistry::builtin()->find("POST", "v3/payroll-card/tokens");
  ASSERT_NE(contract, nullptr);
  EXPECT_EQ(contract->api, Api::v3);
  EXPECT_EQ(contract->endpoint(), "POST v3/payroll-card/tokens");
  const auto* user_name = field_named(contract->request.json, "user_name");
  ASSERT_NE(user_name, nullptr);
  EXPECT_TRUE(user_name->required);
  EXPECT_EQ(user_name->encrypted, Encryption::wechatpay_public_key);
  const auto* appid = field_named(contract->request.json, "appid");
  ASSERT_NE(appid, nullptr);
  EXPECT_FALSE(appid->required);
  const auto* employment = field_named(contract->request.json, "employment_type");
  ASSERT_NE(employment, nullptr);
  EXPECT_EQ(employment->enumeration.size(), 3u);
  const auto* expires = field_named(contract->response, "expires_in");
  ASSERT_NE(expires, nullptr);
  EXPECT_EQ(expires->type, FieldType::integer);
}

TEST(ContractRegistry, LookupByMethodIgnoresCaseAndByPureChainPath) {
  auto registry = ContractRegistry::builtin();
  const auto* by_template = registry->find("POST", "v3/payroll-card/tokens");
  EXPECT_EQ(registry->find("post", "v3/payroll-card/tokens"), by_template);
  EXPECT_EQ(registry->find_chain("POST", "v3/payrollCard/tokens"), by_template);
  EXPECT_EQ(registry->find_chain("GET", "v3/pay/transactions/id/_transaction_id_"),
            registry->find("GET", "v3/pay/transactions/id/{transaction_id}"));
  EXPECT_NE(registry->find("GET", "v3/pay/transactions/id/{transaction_id}"), nullptr);
  EXPECT_EQ(registry->find("DELETE", "v3/payroll-card/tokens"), nullptr);
  EXPECT_EQ(registry->find("POST", "v3/no/such/endpoint"), nullptr);
}

TEST(ContractRegistry, NestedFieldsWalkWithPaths) {
  const auto* jsapi = ContractRegistry::builtin()->find("POST", "v3/pay/transactions/jsapi");
  ASSERT_NE(jsapi, nullptr);
  std::map<std::string, const Field*> by_path;
  walk_fields(jsapi->request.json,
              [&](const std::string& path, const Field& field) { by_path[path] = &field; });
  ASSERT_TRUE(by_path.contains("payer.identity.number"));
  EXPECT_EQ(by_path["payer.identity.number"]->encrypted, Encryption::wechatpay_public_key);
  ASSERT_TRUE(by_path.contains("detail.goods_detail[].quantity"));
  EXPECT_EQ(by_path["detail.goods_detail[].quantity"]->type, FieldType::integer);
  EXPECT_TRUE(has_encryption(jsapi->request.json, Encryption::wechatpay_public_key));
  EXPECT_FALSE(has_encryption(jsapi->response, Encryption::merchant_public_key));
}

TEST(ContractRegistry, EventsByApiAndName) {
  auto registry = ContractRegistry::builtin();
  const auto* v3 = registry->find_event(Api::v3, "TRANSACTION.SUCCESS");
  ASSERT_NE(v3, nullptr);
  ASSERT_NE(v3->resource_fields(), nullptr);
  EXPECT_NE(field_named(*v3->resource_fields(), "out_trade_no"), nullptr);
  const auto* v2 = registry->find_event(Api::v2, "TRANSACTION.SUCCESS");
  ASSERT_NE(v2, nullptr);
  EXPECT_NE(v2, v3);
  EXPECT_EQ(registry->find_event(Api::v3, "NO.SUCH.EVENT"), nullptr);
}

TEST(ContractRegistry, ExtraRowsAddAndAmendWithoutTouchingTheBase) {
  auto base = ContractRegistry::builtin();
  auto extended = ContractRegistry::with(
      {R"({"template":"v3/new/endpoint","method":"POST","api":"v3","request":{"json":[{"name":"x","type":"integer","required":true}]},"response":[]})"
       "\n"
       R"({"template":"v3/payroll-card/tokens","method":"POST","api":"v3","request":{"json":[{"name":"appid","type":"string","required":true}]},"response":[]})"});
  ASSERT_NE(extended->find("POST", "v3/new/endpoint"), nullptr);
  EXPECT_EQ(extended->find("POST", "v3/new/endpoint")->request.json.at(0).type, FieldType::integer);
  EXPECT_TRUE(extended->find("POST", "v3/payroll-card/tokens")->request.json.at(0).required);
  EXPECT_EQ(extended->contracts().size(), 1148u);  // one new, one replaced
  EXPECT_FALSE(
      field_named(base->find("POST", "v3/payroll-card/tokens")->request.json, "appid")->required);
  EXPECT_EQ(extended->find("POST", "v3/pay/transactions/jsapi"),
            base->find("POST", "v3/pay/transactions/jsapi"));
}

// A row the way the documentation names an index page ("…/") is found from the chain, which
// trims the slash and says "{empty}" — in a user's overlay as in the built-in data.
TEST(ContractRegistry, AUserRowWithATrailingSlashIsFoundThroughEmpty) {
  auto extended = ContractRegistry::with(
      {R"({"template":"v3/new/index/","method":"GET","api":"v3","request":{},"response":[]})"});
  const auto* found = extended->find("GET", "v3/new/index/{empty}");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->uri_template, "v3/new/index/");
  EXPECT_NE(extended->find("POST", "v3/ecommerce/applyments/{empty}"), nullptr);  // built-in
}

TEST(ContractRegistry, BadRowsAreNamedErrors) {
  EXPECT_THROW(ContractRegistry::with({"{not json"}), Error);
  EXPECT_THROW(ContractRegistry::with({R"({"method":"POST"})"}), Error);
  EXPECT_THROW(
      ContractRegistry::with({R"({"template":"v3/x","method":"GET","request":{"json":[1]}})"}),
      Error);
}

TEST(ContractRegistry, TemplateOfChainNormalisesEachSegment) {
  EXPECT_EQ(template_of_chain("v3/payrollCard/tokens"), "v3/payroll-card/tokens");
  EXPECT_EQ(template_of_chain("v3/pay/transactions/id/_transaction_id_"),
            "v3/pay/transactions/id/{transaction_id}");
  EXPECT_EQ(template_of_chain("v3/payroll-card/tokens"), "v3/payroll-card/tokens");
  EXPECT_EQ(template_of_chain("v3/ecommerce/applyments/"), "v3/ecommerce/applyments/");
}

}  // namespace
}  // namespace wechatpay::contracts
