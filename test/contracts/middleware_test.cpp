// The contract middleware inside a real client: auto-encryption, validation, decrypted answers.
// Requests stop at a capturing terminal handler; answers come from a signing one.
#include "wechatpay/contracts/middleware.hpp"

#include <gtest/gtest.h>

#include <ctime>

#include "support/null_transport.hpp"
#include "support/pki.hpp"
#include "support/wechatpay_fixtures.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay {
namespace {

const std::string kPublicKeyId = "PUB_KEY_ID_0114232134912410000000000000";
const std::string kMerchantSerial = "3775B6A45ACD588826D15E583A95F5DD2A5C6A74";
const std::string kSecret = "192006250b4c09247ec02edce69f6a2d";

using test::NullTransport;
using test::StopHere;

const crypto::PrivateKey& platform_private() {
  static const auto key = crypto::PrivateKey::load(test::cached_rsa_key("platform").private_pem);
  return key;
}
const crypto::PublicKey& merchant_public() {
  static const auto key = crypto::PublicKey::load(test::cached_rsa_key("merchant").public_pem);
  return key;
}

class ContractMiddleware : public ::testing::Test {
 protected:
  ClientConfig config() {
    return {
        .mchid = "1900000109",
        .serial = kMerchantSerial,
        .private_key = test::cached_rsa_key("merchant").private_pem,
        .certs = {{kPublicKeyId, test::cached_rsa_key("platform").public_pem}},
        .secret = kSecret,
        .logger = [this](LogLevel level,
                         std::string_view line) { logged.emplace_back(level, std::string(line)); },
        .transport = std::make_shared<NullTransport>()};
  }

  // Sends through `client` and returns the request as the transport would get it.
  Request capture(Client& client, const std::string& method, const std::string& path,
                  Options options) {
    for (auto* stack : {&client.stack(), &client.v2_stack()}) {
      stack->set_handler([this](Request request, Completion done) {
        captured = std::move(request);
        done(std::make_exception_ptr(StopHere{}), {});
      });
    }
    try {
      client.chain(path).send(method, std::move(options));
    } catch (const StopHere&) {
      return captured;
    }
    ADD_FAILURE() << "the request did not reach the transport";
    return {};
  }

  static std::string opened(const std::string& ciphertext) {
    return crypto::rsa_oaep_decrypt(platform_private(), ciphertext);
  }

  Request captured;
  std::vector<std::pair<LogLevel, std::string>> logged;
};

Json payroll_token(Json user_name) {
  return {{"openid", "onqOjjmo8wmTOOtSKwXtGjg9Gb58"},
          {"appid", "wxa1111111"},
          {"sub_mchid", "1111111"},
          {"user_name", std::move(user_name)},
          {"id_card_number", "110101199003077777"},
          {"employment_type", "LONG_TERM_EMPLOYMENT"}};
}

TEST_F(ContractMiddleware, TheStacksNameTheContractEntries) {
  Client client(config());
  EXPECT_EQ(client.stack().describe(),
            "retry > http_errors > decrypt_fields > verifier > validate > encrypt_fields > "
            "signer > (handler)");
  EXPECT_EQ(client.v2_stack().describe(),
            "retry > decrypt_fields > transform_response > http_errors > validate > "
            "encrypt_fields > transform_request > (handler)");
}

TEST_F(ContractMiddleware, PlaintextSensitiveFieldsGoOutEncryptedForTheNamedKey) {
  Client client(config());
  auto sent = capture(client, "POST", "v3/payroll-card/tokens", {.json = payroll_token("张三")});
  auto body = Json::parse(sent.body);
  EXPECT_EQ(opened(body.find("user_name")->str()), "张三");
  EXPECT_EQ(opened(body.find("id_card_number")->str()), "110101199003077777");
  EXPECT_EQ(body.find("openid")->str(), "onqOjjmo8wmTOOtSKwXtGjg9Gb58");
  EXPECT_EQ(sent.headers.value("Wechatpay-Serial"), kPublicKeyId);
  // The signature covers the encrypted body: the signer ran after the encryption.
  EXPECT_TRUE(sent.headers.value("Authorization").starts_with("WECHATPAY2-SHA256-RSA2048 "));
}

// validate hands its parse of the body to encrypt_fields; a middleware between them that
// rewrites the body must still have its bytes encrypted, not the ones validate saw.
TEST_F(ContractMiddleware, ABodyRewrittenAfterValidationIsEncryptedAsRewritten) {
  Client client(config());
  client.stack().before("encrypt_fields", map_request([](Request request) {
                          request.body = payroll_token("李四").dump();
                          return request;
                        }),
                        "rewrite");
  auto sent = capture(client, "POST", "v3/payroll-card/tokens", {.json = payroll_token("张三")});
  EXPECT_EQ(opened(Json::parse(sent.body).find("user_name")->str()), "李四");
  // And the next request of the same bytes on this thread is not served a stale parse.
  client.stack().remove("rewrite");
  sent = capture(client, "POST", "v3/payroll-card/tokens", {.json = payroll_token("王五")});
  EXPECT_EQ(opened(Json::parse(sent.body).find("user_name")->str()), "王五");
}

TEST_F(ContractMiddleware, NestedPayerIdentityIsEncrypted) {
  Client client(config());
  Json order = {
      {"appid", "wxd678efh567hg6787"},
      {"mchid", "1900000109"},
      {"description", "Image形象店"},
      {"out_trade_no", "1217752501201407033233368018"},
      {"notify_url", "https://www.weixin.qq.com/wxpay/pay.php"},
      {"amount", {{"total", 100}}},
      {"payer",
       {{"openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
        {"identity", {{"type", "IDCARD"}, {"number", "110101199003077777"}, {"name", "张三"}}}}}};
  auto sent = capture(client, "POST", "v3/pay/transactions/jsapi", {.json = order});
  auto identity = *Json::parse(sent.body).find("payer")->find("identity");
  EXPECT_EQ(opened(identity.find("number")->str()), "110101199003077777");
  EXPECT_EQ(opened(identity.find("name")->str()), "张三");
  EXPECT_EQ(identity.find("type")->str(), "IDCARD");
}

TEST_F(ContractMiddleware, FieldsInsideArraysOfObjectsAreEncrypted) {
  Client client(config());
  Json detail_0 = {{"out_detail_no", "x1"},
                   {"transfer_amount", 100},
                   {"transfer_remark", "r"},
                   {"openid", "o1"},
                   {"user_name", "张三"}};
  Json detail_1 = {{"out_detail_no", "x2"},  {"transfer_amount", 200},
                   {"transfer_remark", "r"}, {"openid", "o2"},
                   {"user_name", "李四"},    {"user_id_card", "110101199003077777"}};
  Json batch = {{"appid", "wx1"},
                {"out_batch_no", "b1"},
                {"batch_name", "n"},
                {"batch_remark", "r"},
                {"total_amount", 300},
                {"total_num", 2},
                {"transfer_detail_list", Json::array({detail_0, detail_1})},
                {"transfer_scene_id", "1000"}};
  auto sent = capture(client, "POST", "v3/transfer/batches", {.json = batch});
  auto body = Json::parse(sent.body);
  ASSERT_NE(body.find("transfer_detail_list"), nullptr) << sent.body;
  const auto& list = body.find("transfer_detail_list")->items();
  ASSERT_EQ(list.size(), 2u) << sent.body;
  ASSERT_NE(list[1].find("user_id_card"), nullptr) << sent.body;
  EXPECT_EQ(opened(list[0].find("user_name")->str()), "张三");
  EXPECT_EQ(opened(list[1].find("user_name")->str()), "李四");
  EXPECT_EQ(opened(list[1].find("user_id_card")->str()), "110101199003077777");
  EXPECT_EQ(list[1].find("openid")->str(), "o2");
}

TEST_F(ContractMiddleware, AlreadyEncryptedValuesAreLeftAlone) {
  Client client(config());
  auto sealed = client.encrypt("张三");
  auto sent = capture(client, "POST", "v3/payroll-card/tokens", {.json = payroll_token(sealed)});
  auto body = Json::parse(sent.body);
  EXPECT_EQ(body.find("user_name")->str(), sealed);
  EXPECT_EQ(opened(body.find("id_card_number")->str()), "110101199003077777");
}

TEST_F(ContractMiddleware, SensitiveQueryValuesAreEncrypted) {
  Client client(config());
  auto sent = capture(client, "GET", "v3/realname/verify",
                      {.query = {{"credential_type", "1"},
                                 {"encrypted_credential_id", "110101199003077777"},
                                 {"encrypted_name", "张三"},
                                 {"wxp_trade_no", "4200000000"}}});
  EXPECT_EQ(sent.url.find("110101199003077777"), std::string::npos) << sent.url;
  const auto& query = sent.options->query;
  ASSERT_EQ(query.size(), 4u);
  EXPECT_EQ(opened(query[1].second), "110101199003077777");
  EXPECT_EQ(opened(query[2].second), "张三");
  EXPECT_EQ(query[3].second, "4200000000");
}

TEST_F(ContractMiddleware, EncryptionTurnsOffPerClientAndPerRequest) {
  auto off = config();
  off.auto_encrypt = false;
  Client client_off(off);
  auto sent =
      capture(client_off, "POST", "v3/payroll-card/tokens", {.json = payroll_token("张三")});
  EXPECT_EQ(Json::parse(sent.body).find("user_name")->str(), "张三");
  sent = capture(client_off, "POST", "v3/payroll-card/tokens",
                 {.json = payroll_token("张三"), .auto_encrypt = true});
  EXPECT_EQ(opened(Json::parse(sent.body).find("user_name")->str()), "张三");

  Client client(config());
  sent = capture(client, "POST", "v3/payroll-card/tokens",
                 {.json = payroll_token("张三"), .auto_encrypt = false});
  EXPECT_EQ(Json::parse(sent.body).find("user_name")->str(), "张三");
}

TEST_F(ContractMiddleware, AMissingRequiredFieldIsRefusedBeforeSending) {
  Client client(config());
  auto token = payroll_token("张三");
  Json without_card = Json::object();
  for (const auto& [name, value] : token.members()) {
    if (name != "id_card_number") without_card.set(name, value);
  }
  try {
    client["v3/payroll-card/tokens"]->post({.json = without_card});
    ADD_FAILURE() << "sent without id_card_number";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.path(), "id_card_number");
    EXPECT_EQ(e.endpoint(), "POST v3/payroll-card/tokens");
    EXPECT_EQ(std::string(e.what()), "POST v3/payroll-card/tokens: id_card_number is required");
  }
  // The future and the callback report the same error.
  auto future = client["v3/payroll-card/tokens"]->post_async({.json = without_card});
  EXPECT_THROW(future.get(), ValidationError);
}

TEST_F(ContractMiddleware, ValidationMessagesNeverCarryTheValue) {
  Client client(config());
  auto token = payroll_token(Json(12345678));  // a number where a string is documented
  try {
    client["v3/payroll-card/tokens"]->post({.json = token});
    ADD_FAILURE() << "sent a number as user_name";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.path(), "user_name");
    EXPECT_EQ(std::string(e.what()).find("12345678"), std::string::npos) << e.what();
  }
}

TEST_F(ContractMiddleware, UnfilledPlaceholderAndMissingQueryAreNamed) {
  Client client(config());
  try {
    client->v3["pay"]["transactions"]["id"]["_transaction_id_"]->get({.query = {{"mchid", "1"}}});
    ADD_FAILURE() << "sent with an unfilled placeholder";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.path(), "params.transaction_id");
  }
  try {
    client->v3["pay"]["transactions"]["id"]["_transaction_id_"]->get(
        {.params = {{"transaction_id", "4200000"}}});
    ADD_FAILURE() << "sent without the mchid query";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.path(), "query.mchid");
  }
}

TEST_F(ContractMiddleware, ValidationCanBeLogOnlyOrOff) {
  auto log_only = config();
  log_only.validation = ValidationMode::log_only;
  Client client(log_only);
  auto sent = capture(client, "POST", "v3/payroll-card/tokens", {.json = Json{{"openid", "o"}}});
  EXPECT_EQ(sent.method, "POST");
  ASSERT_FALSE(logged.empty());
  EXPECT_EQ(logged.front().first, LogLevel::warning);
  EXPECT_NE(logged.front().second.find("POST v3/payroll-card/tokens: sub_mchid is required"),
            std::string::npos)
      << logged.front().second;

  logged.clear();
  auto off = config();
  off.validation = ValidationMode::off;
  Client quiet(off);
  capture(quiet, "POST", "v3/payroll-card/tokens", {.json = Json{{"openid", "o"}}});
  EXPECT_TRUE(logged.empty());
  // Per request, either way.
  EXPECT_THROW(quiet["v3/payroll-card/tokens"]->post(
                   {.json = Json{{"openid", "o"}}, .validation = ValidationMode::enforce}),
               ValidationError);
  Client strict(config());
  capture(strict, "POST", "v3/payroll-card/tokens",
          {.json = Json{{"openid", "o"}}, .validation = ValidationMode::off});
}

TEST_F(ContractMiddleware, AValueOutsideTheEnumerationIsLoggedNotRefused) {
  Client client(config());
  auto token = payroll_token("张三");
  token.set("employment_type", "A_NEW_KIND_OF_EMPLOYMENT");
  capture(client, "POST", "v3/payroll-card/tokens", {.json = token});
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0].first, LogLevel::info);
  EXPECT_NE(logged[0].second.find("employment_type"), std::string::npos);
  EXPECT_EQ(logged[0].second.find("A_NEW_KIND"), std::string::npos);
}

TEST_F(ContractMiddleware, UserAddedContractsDescribeNewEndpointsAndAmendOld) {
  auto with_rows = config();
  with_rows.contracts = {
      R"({"template":"v3/brand-new/thing","method":"POST","api":"v3","request":{"json":[{"name":"owner","type":"object","required":true,"fields":[{"name":"phone","type":"string","required":true,"encrypted":"wechatpay_public_key"}]}]},"response":[]})",
      R"({"template":"v3/payroll-card/tokens","method":"POST","api":"v3","request":{"json":[{"name":"appid","type":"string","required":true}]},"response":[]})"};
  Client client(with_rows);
  EXPECT_NE(client.contracts().find("POST", "v3/brand-new/thing"), nullptr);
  auto sent = capture(client, "POST", "v3/brand-new/thing",
                      {.json = Json{{"owner", {{"phone", "13800138000"}}}}});
  EXPECT_EQ(opened(Json::parse(sent.body).find("owner")->find("phone")->str()), "13800138000");
  try {
    client["v3/brand-new/thing"]->post({.json = Json{{"owner", Json::object()}}});
    ADD_FAILURE() << "the user's required flag was ignored";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.path(), "owner.phone");
  }
  try {
    client["v3/payroll-card/tokens"]->post({.json = Json{{"openid", "o"}}});
    ADD_FAILURE() << "the amended contract was ignored";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.path(), "appid");
  }
  auto bad = config();
  bad.contracts = {"{not json"};
  try {
    Client broken(bad);
    ADD_FAILURE() << "a bad contract row was accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.field(), "contracts");
  }
}

TEST_F(ContractMiddleware, AnswerFieldsArriveDecryptedAndTheBodyStaysAsSigned) {
  Client client(config());
  auto sealed_name = crypto::rsa_oaep_encrypt(merchant_public(), "张三");
  std::string body = Json{{"mch_id", "1900000109"},   {"out_bill_no", "b1"},
                          {"transfer_bill_no", "t1"}, {"state", "ACCEPTED"},
                          {"transfer_amount", 100},   {"transfer_remark", "r"},
                          {"user_name", sealed_name}, {"create_time", "2025-01-01T00:00:00+08:00"}}
                         .dump();
  client.stack().set_handler([&](Request, Completion done) {
    Response response;
    response.status = 200;
    response.body = body;
    response.headers =
        test::wechatpay_headers(platform_private(), kPublicKeyId, body, std::time(nullptr));
    response.headers.set("Content-Type", "application/json");
    done(nullptr, std::move(response));
  });
  auto response = client["v3/fund-app/mch-transfer/transfer-bills/transfer"]->post(
      {.json = Json{{"appid", "wx"},
                    {"out_bill_no", "b1"},
                    {"transfer_amount", 100},
                    {"transfer_remark", "r"},
                    {"transfer_scene_id", "1000"},
                    {"transfer_scene_report_infos",
                     Json::array({{{"info_type", "t"}, {"info_content", "c"}}})}}});
  EXPECT_TRUE(response.verified);
  EXPECT_EQ(response.body, body);
  ASSERT_TRUE(response.decrypted_body.has_value());
  auto answer = response.json();
  EXPECT_EQ(answer["user_name"].as<std::string>(), "张三");
  EXPECT_EQ(answer["out_bill_no"].as<std::string>(), "b1");
}

TEST_F(ContractMiddleware, ApiV2SensitiveFieldsAreEncryptedBeforeSigning) {
  Client client(config());
  auto sent = capture(client, "POST", "v2/mmpaysptrans/pay_bank",
                      {.xml = {{"mch_id", "1900000109"},
                               {"partner_trade_no", "p1"},
                               {"enc_bank_no", "6225000000000000"},
                               {"enc_true_name", "张三"},
                               {"bank_code", "1002"},
                               {"amount", "100"}},
                       .security = false});
  auto fields = v2::parse_xml(sent.body);
  EXPECT_EQ(opened(*fields.find("enc_bank_no")), "6225000000000000");
  EXPECT_EQ(opened(*fields.find("enc_true_name")), "张三");
  EXPECT_EQ(*fields.find("sign"), v2::sign(fields, kSecret));
}

TEST_F(ContractMiddleware, ApiV2AnswerFieldsArriveDecrypted) {
  Client client(config());
  v2::XmlFields answer{{"return_code", "SUCCESS"},
                       {"result_code", "SUCCESS"},
                       {"mch_id", "1900000109"},
                       {"nonce_str", "n1"},
                       {"encrypted_real_name", crypto::rsa_oaep_encrypt(merchant_public(), "张三")},
                       {"encrypted_credential_id",
                        crypto::rsa_oaep_encrypt(merchant_public(), "110101199003077777")}};
  answer.set("sign", v2::sign(answer, kSecret, v2::SignType::kHmacSha256));
  const auto body = v2::to_xml(answer);
  client.v2_stack().set_handler([&](Request, Completion done) {
    Response response;
    response.status = 200;
    response.body = body;
    done(nullptr, std::move(response));
  });
  auto response =
      client["v2/secsvc/getrealnameinfo"]->post({.xml = {{"version", "1.0"},
                                                         {"mch_id", "1900000109"},
                                                         {"appid", "wx"},
                                                         {"openid", "o"},
                                                         {"cert_serialno", kMerchantSerial},
                                                         {"access_token", "t"},
                                                         {"timestamp", "1"},
                                                         {"cert_sign", "s"},
                                                         {"sign_type", "HMAC-SHA256"}},
                                                 .security = false});
  EXPECT_EQ(response.body, body);
  auto fields = v2::xml(response);
  EXPECT_EQ(*fields.find("encrypted_real_name"), "张三");
  EXPECT_EQ(*fields.find("encrypted_credential_id"), "110101199003077777");
}

}  // namespace
}  // namespace wechatpay
