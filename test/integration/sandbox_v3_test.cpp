// The APIv3 seed endpoints against the real sandbox: signed requests, encrypted fields with
// Wechatpay-Serial, verified answers; and the errors the real API gives.
#include "integration/sandbox_fixture.hpp"
#include "support/openssl_cli.hpp"
#include "support/pki.hpp"

namespace wechatpay::test {
namespace {

class SandboxV3 : public SandboxTest {
 protected:
  static void expect_token(const Response& response) {
    EXPECT_EQ(response.status, 200);
    EXPECT_TRUE(response.verified);
    EXPECT_TRUE(response.json()["token"].as<std::string>().starts_with("V1_"));
    EXPECT_FALSE(response.request_id().empty());
  }

  // Posts the payroll seed and expects 400 PARAM_ERROR whose message names `subject`.
  static ApiError expect_param_error(const Client& client, const Options& options,
                                     const std::string& subject) {
    ApiError e = api_error([&] { client["v3/payroll-card/tokens"]->post(options); });
    EXPECT_EQ(e.status(), 400);
    EXPECT_EQ(e.code(), "PARAM_ERROR");
    EXPECT_NE(e.message().find(subject), std::string::npos) << e.message();
    return e;
  }

  static Options payroll_options() { return {.json = example::payroll_card_token()}; }
};

TEST_F(SandboxV3, PayrollCardTokensThreeStylesSyncFutureCallback) {
  Client client = this->client();
  EXPECT_TRUE(client.encryption_serial().starts_with("PUB_KEY_ID_"));
  post_every_way(
      {client->v3["payrollCard"]["tokens"], client->chain("v3/payroll-card/tokens"),
       client["v3/payroll-card/tokens"]},
      [&] { return payroll_options(); }, expect_token);
}

TEST_F(SandboxV3, PreOrderWithAuthThreeStylesSyncFutureCallback) {
  Client client = this->client();
  auto options = [&]() -> Options { return {.json = example::pre_order_with_auth()}; };
  const std::string path = "v3/payroll-card/authentications/pre-order-with-auth";
  post_every_way({client->v3["payrollCard"]["authentications"]["preOrderWithAuth"],
                  client->chain(path), client[path]},
                 options, expect_token);
}

TEST_F(SandboxV3, OfflineFaceTokensThreeStylesSyncFutureCallback) {
  Client client = this->client();
  auto options = []() -> Options { return {.json = example::offlineface_token()}; };
  post_every_way({client->v3["offlinefacemch"]["tokens"], client->chain("v3/offlinefacemch/tokens"),
                  client["v3/offlinefacemch/tokens"]},
                 options, expect_token);
}

TEST_F(SandboxV3, AnswersAreSignedWithTheKeyTheRequestNames) {
  Client client = this->client();
  Profile profile = sandbox().profile();
  for (const auto& [serial, path] : profile.config.certs) {
    SCOPED_TRACE(serial);
    Options options = payroll_options();
    // Encrypt for this key and name it, as a client holding only this key would.
    auto key = crypto::PublicKey::load(path);
    options.json.set("user_name", crypto::rsa_oaep_encrypt(key, "张三"));
    options.json.set("id_card_number", crypto::rsa_oaep_encrypt(key, "110101199003077777"));
    options.headers.set("Wechatpay-Serial", serial);
    Response response = client["v3/payroll-card/tokens"]->post(options);
    expect_token(response);
    EXPECT_EQ(response.headers.value("Wechatpay-Serial"), serial);
  }
}

TEST_F(SandboxV3, WrongMerchantKeyIsSignError401) {
  ClientConfig config = sandbox().config();
  config.private_key = cached_rsa_key("stranger").private_pem;
  Client client(config);
  ApiError e = api_error([&] { client["v3/payroll-card/tokens"]->post(payroll_options()); });
  EXPECT_EQ(e.status(), 401);
  EXPECT_EQ(e.code(), "SIGN_ERROR");
  EXPECT_TRUE(e.response().verified);
}

TEST_F(SandboxV3, EncryptedFieldWithoutWechatpaySerialIs400) {
  Client client = this->client();
  // Innermost, after the signer: the header is not signed, so dropping it keeps the signature.
  client.stack().push(map_request([](Request request) {
                        request.headers.erase("Wechatpay-Serial");
                        return request;
                      }),
                      "drop_serial");
  expect_param_error(client, payroll_options(), "Wechatpay-Serial");
}

TEST_F(SandboxV3, FieldEncryptedForAnotherKeyIs400) {
  Client client = this->client();
  Options options = payroll_options();
  options.json.set("user_name",
                   crypto::rsa_oaep_encrypt(
                       crypto::PublicKey::load(cached_rsa_key("stranger").public_pem), "张三"));
  expect_param_error(client, options, "user_name");
}

TEST_F(SandboxV3, MissingRequiredFieldIs400NamingIt) {
  Client client = this->client();
  Options options = payroll_options();
  Json::Object members;
  for (const auto& member : options.json.members()) {
    if (member.first != "employment_type") members.push_back(member);
  }
  options.json = Json(std::move(members));
  // The client refuses it before sending; with its validation off, the sandbox does.
  EXPECT_THROW(client["v3/payroll-card/tokens"]->post(options), ValidationError);
  options.validation = ValidationMode::off;
  ApiError e = expect_param_error(client, options, "employment_type");
  EXPECT_NE(e.detail().find(R"("field":"employment_type")"), std::string::npos) << e.detail();
}

TEST_F(SandboxV3, UnknownPathIsSigned404) {
  Client client = this->client();
  ApiError e = api_error([&] { client["v3/no/such/endpoint"]->get(); });
  EXPECT_EQ(e.status(), 404);
  EXPECT_EQ(e.code(), "RESOURCE_NOT_EXISTS");
  EXPECT_TRUE(e.response().verified);
}

TEST_F(SandboxV3, CertificatesDecryptWithTheApiV3Key) {
  Profile profile = sandbox().profile();
  Client client(profile.config);
  Response response = client->v3["certificates"]->get();
  ASSERT_TRUE(response.verified);
  auto doc = response.json();
  ASSERT_EQ(doc["data"].size(), 1u);
  auto entry = doc["data"][0];
  auto encrypted = entry["encrypt_certificate"];
  EXPECT_EQ(encrypted["algorithm"].as<std::string>(), "AEAD_AES_256_GCM");
  EXPECT_EQ(encrypted["associated_data"].as<std::string>(), "certificate");
  std::string pem =
      crypto::aes_256_gcm_decrypt(profile.apiv3_key, encrypted["nonce"].as<std::string>(),
                                  "certificate", encrypted["ciphertext"].as<std::string>());
  auto certificate = crypto::Certificate::load(pem);
  EXPECT_EQ(certificate.serial, entry["serial_no"].as<std::string>());
  ASSERT_TRUE(profile.config.certs.contains(certificate.serial));
  EXPECT_EQ(pem, read_file(profile.config.certs.at(certificate.serial).substr(7)));
}

}  // namespace
}  // namespace wechatpay::test
