// Webhooks: the sandbox POSTs signed payment notifications that the library's verification and
// decryption accept.
#include <mutex>

#include "integration/sandbox_fixture.hpp"
#include "support/tls_server.hpp"

namespace wechatpay::test {
namespace {

class SandboxWebhooks : public SandboxTest {
 protected:
  // Receives one notification per request at /notify and keeps the last.
  struct Received {
    std::mutex mutex;
    httplib::Headers headers;
    std::string body;
  };
  Received received_;
  TlsServer receiver_{[this](httplib::Server& server, TlsServer&) {
    server.Post("/notify", [this](const httplib::Request& request, httplib::Response& response) {
      std::lock_guard lock(received_.mutex);
      received_.headers = request.headers;
      received_.body = request.body;
      response.set_content(R"({"code":"SUCCESS"})", "application/json");
    });
  }};

  void notify(const std::string& version) {
    auto answer = Json::parse(
        sandbox().admin("POST", "/sandbox/webhooks",
                        Json{{"url", receiver_.url("/notify")}, {"version", version}}.dump()));
    ASSERT_EQ(answer.find("status")->to_text(), "200") << answer.dump();
  }
};

TEST_F(SandboxWebhooks, V3TransactionSuccessVerifiesAndDecrypts) {
  notify("v3");
  Profile profile = sandbox().profile();
  Client client(profile.config);
  Response notification;
  {
    std::lock_guard lock(received_.mutex);
    notification.status = 200;
    for (const auto& [name, value] : received_.headers) notification.headers.add(name, value);
    notification.body = received_.body;
  }
  EXPECT_NO_THROW(v3::verify_response(client.key_store(), notification));
  auto doc = notification.json();
  EXPECT_EQ(doc["event_type"].as<std::string>(), "TRANSACTION.SUCCESS");
  auto resource = doc["resource"];
  auto transaction = Json::parse(crypto::aes_256_gcm_decrypt(
      profile.apiv3_key, resource["nonce"].as<std::string>(),
      resource["associated_data"].as<std::string>(), resource["ciphertext"].as<std::string>()));
  EXPECT_EQ(transaction.find("trade_state")->str(), "SUCCESS");
  EXPECT_EQ(transaction.find("mchid")->str(), profile.config.mchid);
}

TEST_F(SandboxWebhooks, V2PaymentNotificationParses) {
  notify("v2");
  std::lock_guard lock(received_.mutex);
  auto fields = v2::parse_notification(received_.body, sandbox().profile().config.secret);
  EXPECT_EQ(fields.value("result_code"), "SUCCESS");
  EXPECT_FALSE(fields.value("transaction_id").empty());
}

}  // namespace
}  // namespace wechatpay::test
