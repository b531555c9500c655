// Platform certificates against the sandbox: bootstrap without configured certificates, one
// refresh when WeChat Pay rotates, at most one refresh a minute for unknown serials, and
// public-key-only merchants. Each test has its own sandbox: rotations are not undone.
#include <algorithm>
#include <mutex>

#include "integration/sandbox_fixture.hpp"

namespace wechatpay::test {
namespace {

class SandboxCertificates : public ::testing::Test {
 protected:
  // A client that downloads its platform certificates; `certs` are its only configured keys.
  ClientConfig refreshing(std::map<std::string, std::string> certs = {}) {
    ClientConfig config = sandbox_.config();
    config.certs = std::move(certs);
    config.certificate_refresh.enabled = true;
    config.logger = [this](LogLevel, std::string_view message) {
      std::lock_guard lock(log_mutex_);
      log_.emplace_back(message);
    };
    return config;
  }

  // A signed 200 answer from the sandbox.
  static Response call(const Client& client) {
    return client["v3/offlinefacemch/tokens"]->post({.json = example::offlineface_token()});
  }

  // The profile's platform certificate, or its public key (PUB_KEY_ID_...).
  std::map<std::string, std::string> configured_key(bool public_key) const {
    std::map<std::string, std::string> chosen;
    for (const auto& [serial, spec] : sandbox_.profile().config.certs) {
      if (serial.starts_with("PUB_KEY_ID_") == public_key) chosen.emplace(serial, spec);
    }
    EXPECT_EQ(chosen.size(), 1u);
    return chosen;
  }

  Json admin(const std::string& path, const std::string& body = "") {
    return Json::parse(sandbox_.admin("POST", path, body));
  }

  std::vector<std::string> log() {
    std::lock_guard lock(log_mutex_);
    return log_;
  }

  SandboxProcess sandbox_{WECHATPAY_SANDBOX_BINARY, {}, WECHATPAY_SANDBOX_CREDENTIALS};
  std::mutex log_mutex_;
  std::vector<std::string> log_;
};

// Sorted, so the comparison does not depend on the order the manager keeps them in.
std::vector<std::string> serials_of(const std::vector<crypto::Certificate>& certificates) {
  std::vector<std::string> serials;
  for (const auto& certificate : certificates) serials.push_back(certificate.serial);
  std::sort(serials.begin(), serials.end());
  return serials;
}

TEST_F(SandboxCertificates, BootstrapThenExactlyOneRefreshPerRotation) {
  const std::string first = configured_key(false).begin()->first;
  Client client(refreshing());
  auto manager = client.certificate_manager();
  ASSERT_TRUE(manager);
  EXPECT_EQ(manager->downloads(), 1u);
  EXPECT_EQ(serials_of(manager->certificates()), std::vector<std::string>{first});
  auto before = call(client);
  EXPECT_TRUE(before.verified);
  EXPECT_EQ(before.headers.get("Wechatpay-Serial").value_or(""), first);

  // WeChat Pay rotates: the next answer names a serial the client has not seen.
  std::string second = admin("/sandbox/certificates/rotate").find("serial")->str();
  ASSERT_NE(second, first);
  auto after = call(client);
  EXPECT_TRUE(after.verified);
  EXPECT_EQ(after.headers.get("Wechatpay-Serial").value_or(""), second);
  EXPECT_EQ(manager->downloads(), 2u) << "exactly one refresh";
  EXPECT_TRUE(client.key_store().find(second));
  EXPECT_TRUE(call(client).verified);
  EXPECT_EQ(manager->downloads(), 2u) << "no refresh once the serial is known";

  // A second rotation within a minute: no second refresh, so the answer cannot be verified.
  std::string third = admin("/sandbox/certificates/rotate").find("serial")->str();
  EXPECT_THROW(call(client), VerificationError);
  EXPECT_EQ(manager->downloads(), 2u);
  EXPECT_FALSE(client.key_store().find(third));
  client.stop();
}

TEST_F(SandboxCertificates, RefreshAfterRotationListsOldAndNew) {
  Client client(refreshing());
  auto manager = client.certificate_manager();
  const auto first = serials_of(manager->certificates());
  ASSERT_EQ(first.size(), 1u);
  std::string second = admin("/sandbox/certificates/rotate").find("serial")->str();
  manager->refresh();
  std::vector<std::string> both = {first[0], second};
  std::sort(both.begin(), both.end());
  EXPECT_EQ(serials_of(manager->certificates()), both);
  EXPECT_TRUE(client.key_store().find(first[0]));
  EXPECT_TRUE(client.key_store().find(second));
  EXPECT_EQ(manager->downloads(), 2u);
}

TEST_F(SandboxCertificates, PublicKeyOnlyMerchantStartsLogsOnceAndVerifies) {
  auto mode = admin("/sandbox/certificates/mode", R"({"public_key_only":true})");
  EXPECT_EQ(mode.find("public_key_only")->to_text(), "true");
  const auto public_key = configured_key(true);

  std::unique_ptr<Client> client;
  ASSERT_NO_THROW(client = std::make_unique<Client>(refreshing(public_key)));
  EXPECT_TRUE(client->certificate_manager()->public_key_mode());
  EXPECT_TRUE(client->certificate_manager()->certificates().empty());
  ASSERT_EQ(log().size(), 1u);
  EXPECT_NE(log()[0].find("RESOURCE_NOT_EXISTS"), std::string::npos) << log()[0];

  // Even a request naming the platform certificate is answered with the public key.
  Options options{.json = example::offlineface_token()};
  options.headers.set("Wechatpay-Serial", configured_key(false).begin()->first);
  auto response = (*client)["v3/offlinefacemch/tokens"]->post(options);
  EXPECT_TRUE(response.verified);
  EXPECT_EQ(response.headers.get("Wechatpay-Serial").value_or(""), public_key.begin()->first);
  client->certificate_manager()->refresh();
  EXPECT_EQ(log().size(), 1u) << "public-key mode is logged once";
}

TEST_F(SandboxCertificates, StartFailsFastWithAWrongApiV3Key) {
  ClientConfig config = refreshing();
  std::reverse(config.apiv3_key.begin(), config.apiv3_key.end());
  EXPECT_THROW(Client{config}, CryptoError);
  ClientConfig too_often = refreshing();
  too_often.certificate_refresh.interval = std::chrono::minutes(30);
  EXPECT_THROW(Client{too_often}, ConfigError);
}

TEST_F(SandboxCertificates, AdminEndpointsRefuseBadInput) {
  EXPECT_THROW(sandbox_.admin("POST", "/sandbox/certificates/mode", R"({"public_key_only":1})"),
               std::runtime_error);
  EXPECT_THROW(sandbox_.admin("POST", "/sandbox/certificates/mode", "{}"), std::runtime_error);
  auto state = Json::parse(sandbox_.admin("GET", "/sandbox/certificates/mode"));
  EXPECT_EQ(state.find("public_key_only")->to_text(), "false");
  EXPECT_EQ(state.find("certificates")->items().size(), 1u);
}

}  // namespace
}  // namespace wechatpay::test
