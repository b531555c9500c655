// No secret in any log line or error message: full APIv3 and APIv2 traffic against the sandbox
// with debug logging on, and every error path reachable from here. The secrets are the real
// ones, from the sandbox's profile and from the wire (every signature sent or received).
#include <algorithm>
#include <mutex>

#include "integration/outcomes.hpp"
#include "integration/sandbox_fixture.hpp"
#include "support/openssl_cli.hpp"
#include "support/temp_dir.hpp"
#include "wechatpay/crypto/nonce.hpp"

namespace wechatpay::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kPassphrase = "right-passphrase-7f3a";

// `name="value"` out of an Authorization header.
std::string quoted(const std::string& header, const std::string& name) {
  auto at = header.find(name + "=\"");
  if (at == std::string::npos) return {};
  at += name.size() + 2;
  return header.substr(at, header.find('"', at) - at);
}

std::string v2_sign(std::string_view body) {
  try {
    return v2::parse_xml(body).value("sign");
  } catch (const Error&) {
    return {};
  }
}

class Secrets : public SandboxTest {
 protected:
  void SetUp() override {
    Profile profile = sandbox().profile();
    add_secret("APIv3 key", profile.apiv3_key);
    add_secret("APIv2 secret", profile.config.secret);
    add_pem("merchant private key", crypto::read_spec(profile.config.private_key));
    other_key_ = dir_ / "other_key.pem";
    openssl("genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out " + other_key_);
    add_pem("other private key", read_file(other_key_));
    encrypted_key_ = dir_ / "encrypted_key.pem";
    const std::string merchant_key = profile.config.private_key.substr(std::size("file://") - 1);
    openssl("pkey -in " + merchant_key + " -aes256 -passout pass:" + kPassphrase + " -out " +
            encrypted_key_);
    add_secret("passphrase", kPassphrase);
  }

  void TearDown() override {
    std::lock_guard lock(mutex_);
    EXPECT_FALSE(seen_.empty());
    for (const auto& text : seen_) {
      for (const auto& [name, value] : secrets_) {
        // Names only: the value is the secret this test keeps out of logs.
        EXPECT_EQ(text.find(value), std::string::npos)
            << name << " appears in: " << text.substr(0, 160);
      }
    }
  }

  void add_secret(std::string name, std::string value) {
    if (value.size() < 8) return;  // never a real secret; would match by accident
    std::lock_guard lock(mutex_);
    secrets_.emplace_back(std::move(name), std::move(value));
  }

  // The whole PEM and each base64 line of its body.
  void add_pem(const std::string& name, const std::string& pem) {
    add_secret(name, pem);
    std::size_t start = 0;
    for (std::size_t end; (end = pem.find('\n', start)) != std::string::npos; start = end + 1) {
      std::string line = pem.substr(start, end - start);
      if (!line.starts_with("-----")) add_secret(name + " line", line);
    }
  }

  void saw(std::string text) {
    std::lock_guard lock(mutex_);
    seen_.push_back(std::move(text));
  }

  std::vector<std::string> log_lines() {
    std::lock_guard lock(mutex_);
    return log_lines_;
  }

  // A client logging both stacks, with a spy innermost that notes every signature on the wire.
  Client logged_client(ClientConfig config) {
    Client client(std::move(config));
    Logger logger = [this](LogLevel level, std::string_view line) {
      EXPECT_EQ(level, LogLevel::debug);
      std::lock_guard lock(mutex_);
      log_lines_.emplace_back(line);
      seen_.emplace_back(line);
    };
    for (HandlerStack* stack : {&client.stack(), &client.v2_stack()}) {
      stack->push(logging(logger), "logging");
      stack->push(spy(), "spy");
    }
    return client;
  }

  Middleware spy() {
    return [this](Handler next) -> Handler {
      return [this, next](Request request, Completion done) {
        add_secret("request signature",
                   quoted(request.headers.value("Authorization"), "signature"));
        add_secret("v2 request sign", v2_sign(request.body));
        next(std::move(request), [this, done](std::exception_ptr error, Response response) {
          add_secret("response signature", response.headers.value("Wechatpay-Signature"));
          add_secret("v2 response sign", v2_sign(response.body));
          done(error, std::move(response));
        });
      };
    };
  }

  // Runs `call`, which must throw a wechatpay::Error, and keeps its message.
  template <typename Expected = Error>
  void expect_error(const std::function<void()>& call) {
    try {
      call();
      ADD_FAILURE() << "no error";
    } catch (const Expected& e) {
      saw(e.what());
    } catch (const std::exception& e) {
      saw(e.what());
      ADD_FAILURE() << "unexpected error type: " << e.what();
    }
  }

  Response v3_token(const Client& client, const std::string& fault = "") {
    Options options{.json = example::payroll_card_token()};
    if (!fault.empty()) options.headers.set("Sandbox-Fault", fault);
    return client["v3/payroll-card/tokens"]->post(std::move(options));
  }

  Response v2_authcode(const Client& client, const std::string& fault = "") {
    Options options{.xml = example::authcode_to_openid(client.mchid())};
    if (!fault.empty()) options.headers.set("Sandbox-Fault", fault);
    return client["v2/tools/authcodetoopenid"]->post(std::move(options));
  }

  TempDir dir_;
  std::string other_key_, encrypted_key_;

 private:
  std::mutex mutex_;
  std::vector<std::pair<std::string, std::string>> secrets_;
  std::vector<std::string> seen_, log_lines_;
};

TEST_F(Secrets, FullTrafficIsLoggedOneLineEachWayWithAuthorizationRedacted) {
  Client client = logged_client(sandbox().config());
  const std::string mchid = client.mchid();
  EXPECT_TRUE(v3_token(client).verified);
  EXPECT_TRUE(client["v3/offlinefacemch/tokens"]
                  .post_async({.json = example::offlineface_token()})
                  .get()
                  .verified);
  const std::string out_trade_no = create_order(client, 100);
  client["v3/pay/transactions/out-trade-no/{no}"]->get(
      {.query = {{"mchid", mchid}}, .params = {{"no", out_trade_no}}});
  EXPECT_EQ(v2::xml(v2_authcode(client)).value("result_code"), "SUCCESS");
  const std::string paid = "M" + crypto::nonce(16);
  client["v2/pay/micropay"]->post({.xml = {{"appid", "wxd930ea5d5a258f4f"},
                                           {"mch_id", mchid},
                                           {"body", "secrets"},
                                           {"out_trade_no", paid},
                                           {"total_fee", 1},
                                           {"spbill_create_ip", "8.8.8.8"},
                                           {"auth_code", "134567890123456789"}}});
  auto refund = client["v2/secapi/pay/refund"]->post({.xml = {{"appid", "wxd930ea5d5a258f4f"},
                                                              {"mch_id", mchid},
                                                              {"out_trade_no", paid},
                                                              {"out_refund_no", "R" + paid},
                                                              {"total_fee", 1},
                                                              {"refund_fee", 1}},
                                                      .security = true});
  EXPECT_EQ(v2::xml(refund).value("result_code"), "SUCCESS");

  auto lines = log_lines();
  ASSERT_EQ(lines.size(), 14u) << "two lines for each of seven requests";
  std::size_t requests = 0, responses = 0;
  for (const auto& line : lines) {
    SCOPED_TRACE(line);
    EXPECT_EQ(line.find('\n'), std::string::npos);
    EXPECT_EQ(line.find("signature="), std::string::npos);
    if (line.starts_with("--> ")) {
      ++requests;
      EXPECT_NE(line.find(sandbox().base_uri()), std::string::npos);
      EXPECT_NE(line.find(" body bytes"), std::string::npos);
      if (line.find("/v3/") != std::string::npos) {
        EXPECT_NE(line.find("Authorization WECHATPAY2-SHA256-RSA2048 mchid=\"" + mchid +
                            "\",serial_no=\"" + sandbox().config().serial + "\""),
                  std::string::npos);
      }
    } else {
      ASSERT_TRUE(line.starts_with("<-- 200 ")) << "a response line";
      ++responses;
      EXPECT_NE(line.find(", Request-ID "), std::string::npos);
      EXPECT_NE(line.find(" ms, "), std::string::npos);
    }
  }
  EXPECT_EQ(requests, 7u);
  EXPECT_EQ(responses, 7u);
  EXPECT_TRUE(
      lines[0].starts_with("--> POST " + sandbox().base_uri() + "v3/payroll-card/tokens, "));
}

TEST_F(Secrets, ErrorsOnTheWireNameNoSecret) {
  Client client = logged_client(sandbox().config());
  for (const char* fault : {"bad_signature", "skewed_timestamp", "unknown_serial"}) {
    expect_error<VerificationError>([&] { v3_token(client, fault); });
  }
  expect_error<ApiError>([&] { v3_token(client, "server_error=502"); });
  expect_error<ResponseError>([&] { v3_token(client, "wrong_content_type"); });
  expect_error<TransportError>([&] { v3_token(client, "reset"); });
  expect_error<VerificationError>([&] { v2_authcode(client, "bad_signature"); });
  expect_error<VerificationError>([&] { v2_authcode(client, "missing_headers"); });
  expect_error<TransportError>([&] { v2_authcode(client, "truncate"); });

  ClientConfig wrong_key = sandbox().config();
  wrong_key.private_key = "file://" + other_key_;
  Client impostor = logged_client(wrong_key);
  expect_error<ApiError>([&] { v3_token(impostor); });

  ClientConfig wrong_secret = sandbox().config();
  wrong_secret.secret = "0123456789abcdef0123456789abcdef";
  add_secret("wrong APIv2 secret", wrong_secret.secret);
  expect_error<ApiError>([&] { v2_authcode(logged_client(wrong_secret)); });

  // The TLS client key for APIv2 `security` requests, encrypted, with the wrong passphrase.
  ClientConfig wrong_tls_passphrase = sandbox().config();
  wrong_tls_passphrase.merchant_key = "file://" + encrypted_key_;
  wrong_tls_passphrase.merchant_key_passphrase = "wrong-passphrase-not-it";
  Client locked_out = logged_client(wrong_tls_passphrase);
  expect_error<TransportError>([&] {
    locked_out["v2/secapi/pay/refund"]->post({.xml = {{"appid", "wxd930ea5d5a258f4f"},
                                                      {"mch_id", locked_out.mchid()},
                                                      {"out_trade_no", "T1"},
                                                      {"out_refund_no", "R1"},
                                                      {"total_fee", 1},
                                                      {"refund_fee", 1}},
                                              .security = true});
  });

  auto lines = log_lines();
  EXPECT_TRUE(std::any_of(lines.begin(), lines.end(),
                          [](const auto& l) { return l.starts_with("<-- failed "); }));
}

TEST_F(Secrets, NotificationsAndCertificatesWithTheWrongApiV3KeyNameNoSecret) {
  Profile profile = sandbox().profile();
  const std::string wrong_apiv3_key = "ZYXWVUTSRQPONMLKJIHGFEDCBA987654";
  add_secret("wrong APIv3 key", wrong_apiv3_key);

  // A notification as WeChat Pay sends it, signed with the key behind PUB_KEY_ID_....
  std::string nonce = crypto::nonce(12);
  std::string resource = crypto::aes_256_gcm_encrypt(profile.apiv3_key, nonce, "transaction",
                                                     R"({"out_trade_no":"T1"})");
  std::string body = Json{{"id", "EV-1"},
                          {"event_type", "TRANSACTION.SUCCESS"},
                          {"resource",
                           {{"algorithm", "AEAD_AES_256_GCM"},
                            {"ciphertext", resource},
                            {"nonce", nonce},
                            {"associated_data", "transaction"}}}}
                         .dump();
  Client client(profile.config);
  std::string timestamp = std::to_string(v3::system_now()), notify_nonce = crypto::nonce(32);
  const std::string wechatpay_key = sandbox().state() / "pub_key_private.pem";
  auto signer = crypto::PrivateKey::load("file://" + wechatpay_key);
  add_pem("WeChat Pay private key", read_file(wechatpay_key));
  std::string signature =
      crypto::rsa_sign_sha256(signer, v3::response_signing_message(timestamp, notify_nonce, body));
  add_secret("notification signature", signature);
  Headers headers{{"Wechatpay-Timestamp", timestamp},
                  {"Wechatpay-Nonce", notify_nonce},
                  {"Wechatpay-Serial", client.encryption_serial()},
                  {"Wechatpay-Signature", signature}};
  EXPECT_EQ(client.parse_notification(headers, body).plaintext, R"({"out_trade_no":"T1"})");

  ClientConfig wrong = profile.config;
  wrong.apiv3_key = wrong_apiv3_key;
  expect_error<VerificationError>([&] { Client(wrong).parse_notification(headers, body); });
  Headers tampered = headers;
  tampered.set("Wechatpay-Signature", signature.substr(4) + "AAAA");
  expect_error<VerificationError>([&] { client.parse_notification(tampered, body); });

  wrong.certificate_refresh.enabled = true;
  expect_error<Error>([&] { Client{wrong}; });
}

TEST_F(Secrets, BadXmlAndBadConfigurationNameNoSecret) {
  Profile profile = sandbox().profile();
  v2::XmlFields fields;
  fields.add("return_code", "SUCCESS");
  fields.add("nonce_str", crypto::nonce(16));
  std::string sign = v2::sign(fields, profile.config.secret);
  fields.add("sign", sign);
  add_secret("v2 notification sign", sign);
  std::string xml = v2::to_xml(fields);
  expect_error<XmlError>([&] { v2::parse_xml(xml.substr(0, xml.size() - 7)); });
  expect_error<Error>([&] { v2::parse_notification(xml, "0123456789abcdef0123456789abcdef"); });

  auto expect_config_error = [&](const std::function<void(ClientConfig&)>& change) {
    ClientConfig config = profile.config;
    change(config);
    expect_error<ConfigError>([&] { Client{config}; });
  };
  const std::string pem = read_file(other_key_);
  expect_config_error([&](ClientConfig& c) {
    c.private_key = "file://" + encrypted_key_;
    c.private_key_passphrase = "wrong-passphrase-not-it";
  });
  expect_config_error([&](ClientConfig& c) { c.private_key = "file://" + encrypted_key_; });
  expect_config_error([&](ClientConfig& c) { c.private_key = pem.substr(0, pem.size() / 2); });
  expect_config_error([&](ClientConfig& c) { c.certs.begin()->second = pem; });
  expect_config_error([&](ClientConfig& c) { c.apiv3_key = profile.apiv3_key + "-extra"; });
  expect_config_error([&](ClientConfig& c) { c.certs["PUB_KEY_ID_x"] = c.apiv3_key; });
  expect_config_error([&](ClientConfig& c) { c.merchant_cert.clear(); });
  // The right passphrase works: the failure above was the passphrase, not the file.
  ClientConfig right = profile.config;
  right.private_key = "file://" + encrypted_key_;
  right.private_key_passphrase = kPassphrase;
  EXPECT_NO_THROW(Client{right});
}

}  // namespace
}  // namespace wechatpay::test
