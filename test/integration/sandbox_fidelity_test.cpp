// The sandbox behaves like WeChat Pay where a client of another SDK would notice: Authorization
// parameters in any order, answers signed with a key the client trusts, the payroll-card rules and
// answers of their contracts.
#include <algorithm>
#include <atomic>
#include <map>
#include <regex>

#include "integration/sandbox_fixture.hpp"

namespace wechatpay::test {
namespace {

// Rewrites the Authorization the signer made into WeChat Pay's Go SDK order (`order` lists the
// parameter names to keep, in the order to send them). Innermost, after the signer: the
// signature still covers the same request.
Middleware reorder_authorization(std::vector<std::string> order) {
  return map_request([order = std::move(order)](Request request) {
    static const std::regex kParameter(R"re(([a-z_]+)="([^"]*)")re");
    const std::string header = request.headers.value("Authorization");
    const std::string scheme = header.substr(0, header.find(' '));
    std::map<std::string, std::string> parameters;
    for (std::sregex_iterator it(header.begin(), header.end(), kParameter), end; it != end; ++it) {
      parameters[(*it)[1].str()] = (*it)[2].str();
    }
    std::string reordered = scheme + " ";
    for (const auto& name : order) {
      if (&name != &order.front()) reordered += ",";
      reordered += name + "=\"" + parameters.at(name) + "\"";
    }
    request.headers.set("Authorization", reordered);
    return request;
  });
}

class SandboxFidelity : public SandboxTest {
 protected:
  // `seed` without the members named in `drop`.
  static Json without(const Json& seed, const std::vector<std::string>& drop) {
    Json::Object members;
    for (const auto& member : seed.members()) {
      if (std::find(drop.begin(), drop.end(), member.first) == drop.end()) {
        members.push_back(member);
      }
    }
    return Json(std::move(members));
  }

  // Every field the contract of POST `uri_template` marks required is in `answer`.
  static void expect_required_answer_fields(const std::string& uri_template,
                                            const JsonView& answer) {
    const auto* contract = contracts::ContractRegistry::builtin()->find("POST", uri_template);
    ASSERT_NE(contract, nullptr);
    std::size_t required = 0;
    for (const auto& field : contract->response) {
      if (!field.required) continue;
      ++required;
      EXPECT_TRUE(answer.contains(field.name)) << field.name;
    }
    EXPECT_GE(required, 5u);  // openid, mchid, sub_mchid, token, expires_in at least
  }
};

TEST_F(SandboxFidelity, AuthorizationParametersInTheGoSdkOrderAreAccepted) {
  Client client = this->client();
  client.stack().push(
      reorder_authorization({"mchid", "nonce_str", "timestamp", "serial_no", "signature"}),
      "go_sdk_order");
  Response response =
      client["v3/payroll-card/tokens"]->post({.json = example::payroll_card_token()});
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.verified);
  EXPECT_EQ(client["v3/pay/transactions/out-trade-no/{out_trade_no}"]
                ->get({.query = {{"mchid", client.mchid()}},
                       .params = {{"out_trade_no", create_order(this->client(), 1)}}})
                .status,
            200);
}

TEST_F(SandboxFidelity, AuthorizationWithoutOneParameterIsSignError) {
  Client client = this->client();
  client.stack().push(reorder_authorization({"mchid", "timestamp", "serial_no", "signature"}),
                      "no_nonce");
  ApiError e = api_error(
      [&] { client["v3/payroll-card/tokens"]->post({.json = example::payroll_card_token()}); });
  EXPECT_EQ(e.status(), 401);
  EXPECT_EQ(e.code(), "SIGN_ERROR");
}

TEST_F(SandboxFidelity, AnswerToARequestNamingNoKeyVerifiesWithThePlatformCertificateAlone) {
  const std::string out_trade_no = create_order(client(), 1);
  ClientConfig config = sandbox().config();
  std::erase_if(config.certs,
                [](const auto& entry) { return entry.first.starts_with("PUB_KEY_ID_"); });
  ASSERT_EQ(config.certs.size(), 1u);
  const std::string platform_serial = config.certs.begin()->first;
  Client client(config);
  auto dropped = std::make_shared<std::atomic<int>>(0);
  client.stack().push(map_request([dropped](Request request) {
                        if (request.headers.contains("Wechatpay-Serial")) ++*dropped;
                        request.headers.erase("Wechatpay-Serial");
                        return request;
                      }),
                      "drop_serial");
  Response response = client["v3/pay/transactions/out-trade-no/{out_trade_no}"]->get(
      {.query = {{"mchid", client.mchid()}}, .params = {{"out_trade_no", out_trade_no}}});
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.verified);
  EXPECT_EQ(response.headers.value("Wechatpay-Serial"), platform_serial);
  EXPECT_EQ(*dropped, 1);  // the request really went without a Wechatpay-Serial
}

TEST_F(SandboxFidelity, PayrollTokensRequireUserNameAndNotAppid) {
  Client client = this->client();
  const Json seed = example::payroll_card_token();
  // appid and sub_appid are optional in the documentation.
  EXPECT_EQ(client["v3/payroll-card/tokens"]
                ->post({.json = without(seed, {"appid", "sub_appid"})})
                .status,
            200);
  // user_name is required: the client refuses it, and so does the sandbox.
  Options missing{.json = without(seed, {"user_name"})};
  EXPECT_THROW(client["v3/payroll-card/tokens"]->post(missing), ValidationError);
  missing.validation = ValidationMode::off;
  ApiError e = api_error([&] { client["v3/payroll-card/tokens"]->post(missing); });
  EXPECT_EQ(e.status(), 400);
  EXPECT_EQ(e.code(), "PARAM_ERROR");
  EXPECT_TRUE(e.response().verified);
  EXPECT_NE(e.detail().find(R"("field":"user_name")"), std::string::npos) << e.detail();
}

TEST_F(SandboxFidelity, PreOrderWithAuthRequiresUserNameAndNotAppid) {
  Client client = this->client();
  const std::string path = "v3/payroll-card/authentications/pre-order-with-auth";
  const Json seed = example::pre_order_with_auth();
  EXPECT_EQ(client[path]->post({.json = without(seed, {"appid", "sub_appid"})}).status, 200);
  Options missing{.json = without(seed, {"user_name"}), .validation = ValidationMode::off};
  ApiError e = api_error([&] { client[path]->post(missing); });
  EXPECT_EQ(e.status(), 400);
  EXPECT_NE(e.detail().find(R"("field":"user_name")"), std::string::npos) << e.detail();
}

TEST_F(SandboxFidelity, PayrollAnswersCarryEveryDocumentedField) {
  Client client = this->client();
  const Json tokens_seed = example::payroll_card_token();
  auto tokens = client["v3/payroll-card/tokens"]->post({.json = tokens_seed}).json();
  expect_required_answer_fields("v3/payroll-card/tokens", tokens);
  EXPECT_EQ(tokens["openid"].as<std::string>(), tokens_seed.find("openid")->str());
  EXPECT_EQ(tokens["sub_mchid"].as<std::string>(), tokens_seed.find("sub_mchid")->str());
  EXPECT_EQ(tokens["mchid"].as<std::string>(), client.mchid());
  EXPECT_EQ(tokens["expires_in"].as<std::int64_t>(), 1800);

  const std::string path = "v3/payroll-card/authentications/pre-order-with-auth";
  const Json auth_seed = example::pre_order_with_auth();
  auto auth = client[path]->post({.json = auth_seed}).json();
  expect_required_answer_fields(path, auth);
  EXPECT_EQ(auth["authenticate_number"].as<std::string>(),
            auth_seed.find("authenticate_number")->str());
  EXPECT_EQ(auth["openid"].as<std::string>(), auth_seed.find("openid")->str());
  EXPECT_EQ(auth["mchid"].as<std::string>(), client.mchid());
}

}  // namespace
}  // namespace wechatpay::test
