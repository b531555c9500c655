#include "wechatpay/client.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "support/openssl_cli.hpp"
#include "support/pki.hpp"
#include "wechatpay/crypto/rsa.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay {
namespace {

const std::string kPublicKeyId = "PUB_KEY_ID_0114232134912410000000000000";
const std::string kPlatformSerial = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
const std::string kMerchantSerial = "3775B6A45ACD588826D15E583A95F5DD2A5C6A74";

// Answers every request with a canned response and remembers the last request.
class RecordingTransport : public Transport {
 public:
  void send(Request request, Completion done) override {
    last = request;
    done(std::make_exception_ptr(TransportError("recorded")), {});
  }
  bool on_io_thread() const override { return io_thread; }
  Request last;
  bool io_thread = false;
};

ClientConfig valid_config(std::shared_ptr<Transport> transport = nullptr) {
  return {.mchid = "1900000001",
          .serial = kMerchantSerial,
          .private_key = test::cached_rsa_key("merchant").private_pem,
          .certs = {{kPublicKeyId, test::cached_rsa_key("platform").public_pem}},
          .secret = "192006250b4c09247ec02edce69f6a2d",
          .transport = transport ? transport : std::make_shared<RecordingTransport>()};
}

void expect_config_error(const ClientConfig& config, const std::string& field) {
  try {
    Client client(config);
    ADD_FAILURE() << "accepted a configuration with a bad " << field;
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.field(), field) << e.what();
    // No key material in the message.
    EXPECT_EQ(std::string(e.what()).find("MII"), std::string::npos) << e.what();
  }
}

TEST(ClientConfig, EachMissingRequiredFieldIsNamed) {
  auto config = valid_config();
  config.mchid.clear();
  expect_config_error(config, "mchid");
  config = valid_config();
  config.serial.clear();
  expect_config_error(config, "serial");
  config = valid_config();
  config.private_key.clear();
  expect_config_error(config, "private_key");
  config = valid_config();
  config.certs.clear();
  expect_config_error(config, "certs");
}

TEST(ClientConfig, UnreadableOrNonRsaKeysAreNamed) {
  auto config = valid_config();
  config.private_key = "file:///nonexistent/apiclient_key.pem";
  expect_config_error(config, "private_key");
  config.private_key = "-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n";
  expect_config_error(config, "private_key");
  test::TempDir dir;
  auto ec = dir.path() / "ec.pem";
  test::openssl("genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + ec.string());
  config.private_key = "file://" + ec.string();
  expect_config_error(config, "private_key");
  config = valid_config();
  config.certs[kPublicKeyId] = "garbage";
  expect_config_error(config, "certs[" + kPublicKeyId + "]");
}

TEST(ClientConfig, WeakKeysAreRefusedSayingWhatIsRequired) {
  const auto weak = test::generate_rsa_key(1024);
  for (const auto& [config, field] : {std::pair{[&] {
                                                  auto c = valid_config();
                                                  c.private_key = weak.private_pem;
                                                  return c;
                                                }(),
                                                std::string("private_key")},
                                      std::pair{[&] {
                                                  auto c = valid_config();
                                                  c.certs = {{kPublicKeyId, weak.public_pem}};
                                                  return c;
                                                }(),
                                                "certs[" + kPublicKeyId + "]"}}) {
    try {
      Client client(config);
      ADD_FAILURE() << "accepted a 1024-bit key as " << field;
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.field(), field);
      EXPECT_NE(std::string(e.what()).find("at least 2048 bits are required"), std::string::npos)
          << e.what();
    }
  }
}

TEST(ClientConfig, TheMerchantSerialOrKeyInCertsIsTheCommonMixUp) {
  auto config = valid_config();
  config.certs = {{kMerchantSerial, test::cached_rsa_key("platform").public_pem}};
  expect_config_error(config, "certs[" + kMerchantSerial + "]");
  config.certs = {{kPlatformSerial, test::cached_rsa_key("merchant").public_pem}};
  expect_config_error(config, "certs[" + kPlatformSerial + "]");
}

TEST(ClientConfig, TransportSettingsAreChecked) {
  auto config = valid_config();
  config.base_uri = "api.mch.weixin.qq.com";
  expect_config_error(config, "base_uri");
  config = valid_config();
  config.timeout = std::chrono::milliseconds(0);
  expect_config_error(config, "timeout");
  config = valid_config();
  config.merchant_cert = "file:///apiclient_cert.pem";
  expect_config_error(config, "merchant_key");
}

TEST(ClientConfig, DefaultUserAgentNamesTheSdkCurlAndOpenssl) {
  EXPECT_TRUE(std::regex_match(
      default_user_agent(), std::regex(R"(wechatpay-cpp/\d+\.\d+\.\d+ curl/\S+ OpenSSL/3\.\S+)")))
      << default_user_agent();
}

class ClientRequests : public ::testing::Test {
 protected:
  Request send(const Chain& chain, std::string method, Options options = {}) {
    try {
      chain.send(std::move(method), std::move(options));
    } catch (const TransportError&) {
    }
    return transport_->last;
  }
  std::shared_ptr<RecordingTransport> transport_ = std::make_shared<RecordingTransport>();
  Client client_{valid_config(transport_)};
};

TEST_F(ClientRequests, BuildsUrlHeadersAndBody) {
  auto request = send(client_->v3["pay"]["transactions"]["outTradeNo"]["_out_trade_no_"], "get",
                      {.query = {{"mchid", "1900000001"}},
                       .params = {{"out_trade_no", "1217752501 201407033233368018"}}});
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.url,
            "https://api.mch.weixin.qq.com/v3/pay/transactions/out-trade-no/"
            "1217752501%20201407033233368018?mchid=1900000001");
  EXPECT_EQ(request.body, "");
  EXPECT_EQ(request.headers.value("Accept"), "application/json");
  EXPECT_EQ(request.headers.value("Wechatpay-Serial"), kPublicKeyId);
  EXPECT_TRUE(request.headers.value("Authorization").starts_with("WECHATPAY2-SHA256-RSA2048 "));
  EXPECT_TRUE(request.transfer.user_agent.starts_with("wechatpay-cpp/"));
  EXPECT_EQ(request.transfer.timeout, std::chrono::milliseconds(30'000));
  EXPECT_EQ(request.transfer.connect_timeout, std::chrono::milliseconds(10'000));
}

TEST_F(ClientRequests, JsonBodyBaseUriAndTimeoutPerRequest) {
  auto request = send(client_["v3/global/transactions"], "POST",
                      {.json = {{"amount", {{"total", 1}}}},
                       .base_uri = "https://apihk.mch.weixin.qq.com/",
                       .timeout = std::chrono::milliseconds(1500)});
  EXPECT_EQ(request.url, "https://apihk.mch.weixin.qq.com/v3/global/transactions");
  EXPECT_EQ(request.body, R"({"amount":{"total":1}})");
  EXPECT_EQ(request.headers.value("Content-Type"), "application/json");
  EXPECT_EQ(request.transfer.timeout, std::chrono::milliseconds(1500));
}

TEST_F(ClientRequests, CallerChosenSerialWinsAndEncryptMatchesTheDefault) {
  auto request = send(client_["v3/merchants"], "POST",
                      {.json = {{"x", 1}},
                       .headers = {{"Wechatpay-Serial", kPlatformSerial}},
                       .validation = ValidationMode::off});  // a partial body on purpose
  EXPECT_EQ(request.headers.value("Wechatpay-Serial"), kPlatformSerial);
  // encrypt() uses the key the default Wechatpay-Serial names: the platform key decrypts it.
  auto platform = crypto::PrivateKey::load(test::cached_rsa_key("platform").private_pem);
  EXPECT_EQ(crypto::rsa_oaep_decrypt(platform, client_.encrypt("张三")), "张三");
  EXPECT_EQ(client_.encryption_serial(), kPublicKeyId);
}

TEST_F(ClientRequests, V2PathsLoseTheirPrefixAndUseTheV2Stack) {
  std::string seen;
  client_.v2_stack().set_handler([&](Request request, Completion done) {
    seen = request.url;
    done(std::make_exception_ptr(TransportError("stop")), {});
  });
  EXPECT_THROW(
      client_->v2["pay"]["micropay"]->post(
          {.xml = {{"mch_id", "1900000001"}, {"appid", "wx"}}, .validation = ValidationMode::off}),
      Error);
  EXPECT_EQ(seen, "https://api.mch.weixin.qq.com/pay/micropay");
}

TEST_F(ClientRequests, PerRequestStackOverridesTheClientsForOneCall) {
  auto stack = std::make_shared<HandlerStack>([](Request request, Completion done) {
    Response response;
    response.status = 299;
    response.body = request.url;
    done(nullptr, std::move(response));
  });
  auto response = client_["v3/x"]->get({.stack = stack});
  EXPECT_EQ(response.status, 299);
  EXPECT_EQ(response.body, "https://api.mch.weixin.qq.com/v3/x");
  EXPECT_THROW(client_["v3/x"]->get(), TransportError) << "the client's own stack is unchanged";
}

TEST_F(ClientRequests, ChainsAreMemoisedAndStylesAgree) {
  EXPECT_EQ(client_->v3["payrollCard"]["tokens"].path(), "v3/payroll-card/tokens");
  EXPECT_EQ(client_->chain("v3/payroll-card/tokens").path(), "v3/payroll-card/tokens");
  EXPECT_EQ(client_["/v3/payroll-card/tokens/"].path(), "v3/payroll-card/tokens");
  // Declarative paths are literal: capitals survive.
  EXPECT_EQ(client_["v3/marketing/busifavor/stocks/{stock_id}/useFlow"].path(),
            "v3/marketing/busifavor/stocks/{stock_id}/useFlow");
  EXPECT_EQ(&client_->v3["pay"].path(), &client_->v3["pay"].path());
}

TEST_F(ClientRequests, SyncCallOnTheIoThreadIsRefusedNotDeadlocked) {
  transport_->io_thread = true;
  EXPECT_THROW(client_["v3/x"]->get(), TransportError);
}

// The target libcurl sends must be the one signed: nothing it would rewrite (dot segments), cut
// (NUL) or read as a query or fragment (?, #) may reach the path, nor a line break the method.
TEST_F(ClientRequests, WhatCannotBeSentAsSignedIsRefusedBeforeSigning) {
  struct Case {
    Chain chain;
    Params params;
    std::string method = "GET";
    std::string field = "path";
  };
  const std::vector<Case> cases = {
      {client_["v3/x/{id}"], {{"id", ".."}}},
      {client_["v3/x/{id}"], {{"id", "."}}},
      {client_["v3/x/{+id}"], {{"id", "a/../b"}}},
      {client_["v3/x/{+id}"], {{"id", "a/%2E%2e/b"}}},
      {client_["v3/x/{+id}"], {{"id", "a?b=1"}}},
      {client_["v3/x/{+id}"], {{"id", "a#b"}}},
      {client_["v3/x/../y"], {}},
      {client_->v3["."]["y"], {}},
      {client_->v3[".."]["y"], {}},
      {client_->v3["x?injected=1"], {}},
      {client_->v3["x#dropped"], {}},
      {client_->v3[std::string("x\0y", 3)], {}},
      {client_->v3["x y"], {}},
      {client_->v3["x\r\nHost: evil"], {}},
      {client_["v3/x"], {}, "GET\r\nX-Injected: 1", "method"},
      {client_["v3/x"], {}, "GE T", "method"},
      {client_["v3/x"], {}, "", "method"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.chain.path() + " " + c.method);
    transport_->last = {};
    try {
      c.chain.send(c.method, {.query = {{"q", "1"}}, .params = c.params});
      ADD_FAILURE() << "sent";
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.field(), c.field) << e.what();
      const std::string what = e.what();
      EXPECT_EQ(what.find_first_of(std::string("\r\n\0", 3)), std::string::npos) << what;
    }
    EXPECT_EQ(transport_->last.url, "") << "reached the transport";
  }
  // What stays allowed: dots inside a segment, encoded values, reserved characters in {+var}.
  EXPECT_EQ(send(client_["v3/x/{id}/{+rest}"], "GET",
                 {.params = {{"id", "..."}, {"rest", "a.b/c:d@e!f"}}})
                .url,
            "https://api.mch.weixin.qq.com/v3/x/.../a.b/c:d@e!f");
  EXPECT_EQ(send(client_["v3/x/{id}"], "GET", {.params = {{"id", "../?#"}}}).url,
            "https://api.mch.weixin.qq.com/v3/x/..%2F%3F%23");
}

TEST_F(ClientRequests, BadTemplateFailsTheFutureNotTheCaller) {
  auto future = client_["v3/x/{bad"].get_async();
  EXPECT_THROW(future.get(), ConfigError);
}

}  // namespace
}  // namespace wechatpay
