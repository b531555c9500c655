#include "wechatpay/v3/certificates.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "support/wechatpay_fixtures.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::v3 {
namespace {

using namespace std::chrono_literals;

const std::string kPublicKeyId = "PUB_KEY_ID_0114232134912410000000000000";

pki::Certificate platform_certificate(const std::string& serial, const char* key,
                                      std::chrono::seconds from = -1h,
                                      std::chrono::seconds until = 24h * 365) {
  pki::CertificateSpec spec;
  spec.common_name = "Tenpay.com Root CA";
  spec.serial_hex = serial;
  spec.valid_from = from;
  spec.valid_until = until;
  return test::test_ca().issue(spec, test::cached_rsa_key(key));
}

// A /v3/certificates answer signed by `signer` under `serial`.
Response answer(const std::vector<pki::Certificate>& listed, const char* signer,
                const std::string& serial, const std::string& apiv3_key = test::kApiV3Key) {
  Response r;
  r.status = 200;
  r.body = test::certificates_body(listed, apiv3_key);
  r.headers =
      test::wechatpay_headers(crypto::PrivateKey::load(test::cached_rsa_key(signer).private_pem),
                              serial, r.body, system_now());
  return r;
}

// A fake fetch: answers with whatever `next` holds, counts calls.
struct FakeWeChatPay {
  std::mutex mutex;
  std::function<Response()> next;
  std::atomic<int> calls{0};
  CertificateManager::Fetch fetch() {
    return [this](Completion done) {
      ++calls;
      std::function<Response()> make;
      {
        std::lock_guard lock(mutex);
        make = next;
      }
      try {
        done(nullptr, make());
      } catch (...) {
        done(std::current_exception(), Response{});
      }
    };
  }
  void answer_with(std::function<Response()> make) {
    std::lock_guard lock(mutex);
    next = std::move(make);
  }
};

class Certificates : public ::testing::Test {
 protected:
  std::unique_ptr<CertificateManager> manager(crypto::KeyStore::Snapshot configured = {},
                                              std::chrono::milliseconds interval = 1h) {
    return std::make_unique<CertificateManager>(
        keys_, std::move(configured), fake_.fetch(),
        CertificateManagerOptions{.apiv3_key = test::kApiV3Key,
                                  .interval = interval,
                                  .logger = [this](LogLevel, std::string_view m) {
                                    std::lock_guard lock(log_mutex_);
                                    log_.emplace_back(m);
                                  }});
  }
  std::vector<std::string> log() {
    std::lock_guard lock(log_mutex_);
    return log_;
  }

  std::shared_ptr<crypto::KeyStore> keys_ = std::make_shared<crypto::KeyStore>();
  FakeWeChatPay fake_;
  std::mutex log_mutex_;
  std::vector<std::string> log_;
  pki::Certificate first_ = platform_certificate("1A2B3C4D5E6F", "platform");
  pki::Certificate second_ = platform_certificate("6F5E4D3C2B1A", "platform-next");
};

TEST_F(Certificates, DecryptKeepsCurrentOnesAndRejectsAWrongKey) {
  auto expired = platform_certificate("0BAD", "stranger", -48h, -24h);
  auto certs = decrypt_certificates(test::certificates_body({first_, expired}), test::kApiV3Key);
  ASSERT_EQ(certs.size(), 1u);
  EXPECT_EQ(certs[0].serial, first_.serial_hex);
  EXPECT_THROW(
      decrypt_certificates(test::certificates_body({first_}), "ZYXWVUTSRQPONMLKJIHGFEDCBA987654"),
      CryptoError);
  EXPECT_THROW(decrypt_certificates(test::certificates_body({expired}), test::kApiV3Key), Error);
  EXPECT_THROW(decrypt_certificates("{}", test::kApiV3Key), Error);
}

TEST_F(Certificates, StartPublishesDownloadedAndConfiguredKeys) {
  fake_.answer_with([&] { return answer({first_}, "platform", first_.serial_hex); });
  crypto::KeyStore::Snapshot configured{
      {kPublicKeyId, {crypto::PublicKey::load(test::cached_rsa_key("pubkey").public_pem), 0}}};
  auto m = manager(configured);
  m->start();
  EXPECT_TRUE(keys_->find(first_.serial_hex));
  EXPECT_TRUE(keys_->find(kPublicKeyId)) << "configured public keys stay";
  EXPECT_FALSE(m->public_key_mode());
  EXPECT_EQ(m->certificates().size(), 1u);
}

TEST_F(Certificates, DownloadSignedByAStrangerIsRejected) {
  fake_.answer_with([&] { return answer({first_}, "stranger", first_.serial_hex); });
  EXPECT_THROW(manager()->start(), VerificationError);
  EXPECT_FALSE(keys_->find(first_.serial_hex)) << "nothing published";
}

TEST_F(Certificates, ATrustedKeyMustSignWhenItIsNamed) {
  // The store trusts `first_`; an answer naming it but signed by another key fails even
  // though it lists that key's certificate.
  auto m = manager({{first_.serial_hex, {crypto::PublicKey::load(first_.pem), 0}}});
  fake_.answer_with([&] { return answer({first_, second_}, "platform-next", first_.serial_hex); });
  EXPECT_THROW(m->start(), VerificationError);
}

TEST_F(Certificates, WrongApiV3KeyFailsStartWithCryptoError) {
  fake_.answer_with([&] {
    return answer({first_}, "platform", first_.serial_hex, "ZYXWVUTSRQPONMLKJIHGFEDCBA987654");
  });
  try {
    manager()->start();
    FAIL() << "started";
  } catch (const CryptoError& e) {
    EXPECT_EQ(std::string(e.what()).find(test::kApiV3Key), std::string::npos);
  }
}

TEST_F(Certificates, NotFoundMeansPublicKeyModeLoggedOnce) {
  fake_.answer_with([]() -> Response {
    Response not_found;
    not_found.status = 404;
    throw ApiError("HTTP 404", not_found, "RESOURCE_NOT_EXISTS", "无可用的平台证书", "");
  });
  crypto::KeyStore::Snapshot configured{
      {kPublicKeyId, {crypto::PublicKey::load(test::cached_rsa_key("pubkey").public_pem), 0}}};
  keys_->publish(configured);  // as the client does before starting the manager
  auto m = manager(configured);
  EXPECT_NO_THROW(m->start());
  EXPECT_TRUE(m->public_key_mode());
  EXPECT_NO_THROW(m->refresh());
  EXPECT_EQ(log().size(), 1u);
  EXPECT_TRUE(keys_->find(kPublicKeyId));
}

TEST_F(Certificates, TimerRefreshesUntilStopped) {
  fake_.answer_with([&] { return answer({first_}, "platform", first_.serial_hex); });
  auto m = manager({}, 20ms);
  m->start();
  fake_.answer_with([&] { return answer({first_, second_}, "platform", first_.serial_hex); });
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!keys_->find(second_.serial_hex) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_TRUE(keys_->find(second_.serial_hex)) << "the timer published the rotation";
  m->stop();
  int calls = fake_.calls;
  std::this_thread::sleep_for(80ms);
  EXPECT_EQ(fake_.calls, calls) << "nothing runs after stop()";
}

TEST_F(Certificates, UnknownSerialRefreshesAtMostOncePerGap) {
  fake_.answer_with([&] { return answer({first_}, "platform", first_.serial_hex); });
  auto m = manager();
  m->start();
  fake_.answer_with([&] { return answer({first_, second_}, "platform", first_.serial_hex); });
  int resumed = 0;
  m->refresh_for_unknown_serial(second_.serial_hex, [&] { ++resumed; });
  EXPECT_TRUE(keys_->find(second_.serial_hex));
  m->refresh_for_unknown_serial("0DDBA11", [&] { ++resumed; });
  EXPECT_EQ(resumed, 2) << "each caller resumes once";
  EXPECT_EQ(fake_.calls, 2) << "start + one refresh; the second unknown serial waits a minute";
  m->stop();
  m->refresh_for_unknown_serial("0DDBA11", [&] { ++resumed; });
  EXPECT_EQ(resumed, 3);
}

}  // namespace
}  // namespace wechatpay::v3
