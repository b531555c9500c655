// The seed APIv3 call, POST v3/payroll-card/tokens, over real HTTPS on 127.0.0.1: the server
// checks the merchant's signature, decrypts the OAEP-encrypted fields with the key named in
// Wechatpay-Serial, and signs its answer; the client verifies it. All three chain styles,
// sync, future and callback.
#include <gtest/gtest.h>

#include <atomic>
#include <regex>
#include <thread>

#include "support/pki.hpp"
#include "support/tls_server.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay {
namespace {

const std::string kPublicKeyId = "PUB_KEY_ID_0114232134912410000000000000";
const std::string kMerchantSerial = "3775B6A45ACD588826D15E583A95F5DD2A5C6A74";
const std::string kUserName = "张三";
const std::string kIdCard = "110101199003077777";

// The WeChat Pay side of the seed endpoint.
class PayrollCardServer {
 public:
  PayrollCardServer()
      : merchant_(crypto::PublicKey::load(test::cached_rsa_key("merchant").public_pem)),
        platform_(crypto::PrivateKey::load(test::cached_rsa_key("platform").private_pem)),
        server_([this](httplib::Server& s, test::TlsServer&) {
          s.Post("/v3/payroll-card/tokens",
                 [this](const auto& req, auto& res) { handle(req, res); });
        }) {}

  std::string base_uri() const { return server_.url("/"); }
  int accepted() const { return accepted_; }

 private:
  void handle(const httplib::Request& req, httplib::Response& res) {
    std::string problem = check(req);
    if (problem.empty()) {
      ++accepted_;
      reply(res, 200,
            R"({"token":"V1_tok_)" + std::to_string(accepted_.load()) + R"(","expires_in":1800})");
    } else {
      reply(res, 401, R"({"code":"SIGN_ERROR","message":")" + problem + "\"}");
    }
  }

  // "" when the request is signed by the merchant and its fields decrypt; else the reason.
  std::string check(const httplib::Request& req) {
    static const std::regex auth(
        R"re(WECHATPAY2-SHA256-RSA2048 mchid="(\d+)",serial_no="([0-9A-F]+)",timestamp="(\d+)",nonce_str="(\w{32})",signature="([A-Za-z0-9+/=]+)")re");
    std::smatch m;
    std::string header = req.get_header_value("Authorization");
    if (!std::regex_match(header, m, auth)) return "malformed Authorization";
    if (m[1] != "1900000001" || m[2] != kMerchantSerial) return "wrong mchid or serial";
    std::string message =
        "POST\n" + req.target + "\n" + m[3].str() + "\n" + m[4].str() + "\n" + req.body + "\n";
    if (!crypto::rsa_verify_sha256(merchant_, message, m[5].str())) return "bad signature";
    if (req.get_header_value("Wechatpay-Serial") != kPublicKeyId) return "wrong Wechatpay-Serial";
    auto body = Json::parse(req.body);
    try {
      if (crypto::rsa_oaep_decrypt(platform_, body.find("user_name")->str()) != kUserName ||
          crypto::rsa_oaep_decrypt(platform_, body.find("id_card_number")->str()) != kIdCard) {
        return "decrypted fields differ";
      }
    } catch (const std::exception&) {
      return "cannot decrypt";
    }
    return "";
  }

  void reply(httplib::Response& res, int status, const std::string& body) {
    auto timestamp = std::to_string(std::time(nullptr));
    auto nonce = crypto::nonce();
    res.status = status;
    res.set_header("Wechatpay-Timestamp", timestamp);
    res.set_header("Wechatpay-Nonce", nonce);
    res.set_header("Wechatpay-Serial", kPublicKeyId);
    res.set_header(
        "Wechatpay-Signature",
        crypto::rsa_sign_sha256(platform_, timestamp + "\n" + nonce + "\n" + body + "\n"));
    res.set_header("Request-ID", "req-" + nonce);
    res.set_content(body, "application/json");
  }

  crypto::PublicKey merchant_;
  crypto::PrivateKey platform_;
  std::atomic<int> accepted_{0};
  test::TlsServer server_;
};

class PayrollCard : public ::testing::Test {
 protected:
  ClientConfig config(
      const std::string& private_key = test::cached_rsa_key("merchant").private_pem) {
    return {.mchid = "1900000001",
            .serial = kMerchantSerial,
            .private_key = private_key,
            .certs = {{kPublicKeyId, test::cached_rsa_key("platform").public_pem}},
            .base_uri = server_.base_uri(),
            .ca_bundle = ca_file_.string()};
  }

  Options options(const Client& client) {
    return {.json = {{"openid", "onqOjjmo8wmTOOtSKwXtGjg9Gb58"},
                     {"appid", "wxa1111111"},
                     {"sub_mchid", "1111111"},
                     {"sub_appid", "wxb1111111"},
                     {"user_name", client.encrypt(kUserName)},
                     {"id_card_number", client.encrypt(kIdCard)},
                     {"employment_type", "LONG_TERM_EMPLOYMENT"}}};
  }

  static void expect_token(const Response& response) {
    EXPECT_EQ(response.status, 200);
    EXPECT_TRUE(response.verified);
    EXPECT_TRUE(response.json()["token"].as<std::string>().starts_with("V1_tok_"));
    EXPECT_FALSE(response.request_id().empty());
  }

  PayrollCardServer server_;
  test::TempDir dir_;
  std::filesystem::path ca_file_ = dir_.write("ca.pem", test::test_ca().pem());
};

TEST_F(PayrollCard, ThreeStylesSyncFutureAndCallback) {
  Client client(config());
  EXPECT_EQ(client.encryption_serial(), kPublicKeyId);
  const std::vector<Chain> styles = {client->v3["payrollCard"]["tokens"],
                                     client->chain("v3/payroll-card/tokens"),
                                     client["v3/payroll-card/tokens"]};
  for (const auto& chain : styles) {
    SCOPED_TRACE(chain.path());
    EXPECT_EQ(chain.path(), "v3/payroll-card/tokens");
    expect_token(chain->post(options(client)));
    expect_token(chain.post_async(options(client)).get());
    std::promise<Response> delivered;
    chain->post_async(options(client), [&](std::exception_ptr error, Response response) {
      if (error) {
        delivered.set_exception(error);
      } else {
        delivered.set_value(std::move(response));
      }
    });
    auto future = delivered.get_future();
    ASSERT_EQ(future.wait_for(std::chrono::seconds(30)), std::future_status::ready);
    expect_token(future.get());
  }
  EXPECT_EQ(server_.accepted(), 9);
}

TEST_F(PayrollCard, WrongMerchantKeyIsRejectedAsSignError) {
  Client client(config(test::cached_rsa_key("stranger").private_pem));
  try {
    client->v3["payrollCard"]["tokens"]->post(options(client));
    FAIL() << "expected ApiError";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 401);
    EXPECT_EQ(e.code(), "SIGN_ERROR");
    EXPECT_TRUE(e.response().verified) << "the signed error answer was verified first";
  }
  EXPECT_EQ(server_.accepted(), 0);
}

TEST_F(PayrollCard, ARemoteSignerCanReplaceTheBuiltInOne) {
  // The client holds a stranger's key; only the replacement signer knows the merchant's, as a
  // signing service or HSM would.
  Client client(config(test::cached_rsa_key("stranger").private_pem));
  auto remote_identity = std::make_shared<v3::SigningIdentity>(
      v3::SigningIdentity{"1900000001", kMerchantSerial,
                          crypto::PrivateKey::load(test::cached_rsa_key("merchant").private_pem)});
  std::atomic<int> remote_calls{0};
  client.stack().replace(
      "signer", map_request([&, remote_identity](Request request) {
        ++remote_calls;
        request.headers.set(
            "Authorization",
            v3::authorization(*remote_identity, request.method, request.target(), request.body,
                              std::to_string(std::time(nullptr)), crypto::nonce()));
        return request;
      }));
  expect_token(client["v3/payroll-card/tokens"]->post(options(client)));
  EXPECT_EQ(remote_calls, 1);
  EXPECT_EQ(client.stack().names(),
            (std::vector<std::string>{"retry", "http_errors", "decrypt_fields", "verifier",
                                      "validate", "encrypt_fields", "signer"}));
}

TEST_F(PayrollCard, TwoClientsCanShareOneTransport) {
  auto transport = make_curl_transport();
  auto first_config = config(), second_config = config();
  first_config.transport = second_config.transport = transport;
  second_config.user_agent = "second-client/1.0";
  Client first(first_config), second(second_config);
  auto a = first["v3/payroll-card/tokens"].post_async(options(first));
  auto b = second["v3/payroll-card/tokens"].post_async(options(second));
  expect_token(a.get());
  expect_token(b.get());
  EXPECT_EQ(server_.accepted(), 2);
}

TEST_F(PayrollCard, ThousandConcurrentAsyncRequestsFromEightThreadsCompleteOnce) {
  Client client(config());
  constexpr int kThreads = 8, kPerThread = 125;
  std::atomic<int> ok{0}, failed{0}, completions{0};
  std::vector<std::atomic<int>> seen(kThreads * kPerThread);
  std::mutex mutex;
  std::condition_variable all_done;
  auto body = options(client);  // encrypt once; the server decrypts each copy
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        int id = t * kPerThread + i;
        client["v3/payroll-card/tokens"]->post_async(
            body, [&, id](std::exception_ptr error, Response response) {
              ++seen[id];
              (error || !response.verified ? failed : ok)++;
              if (++completions == kThreads * kPerThread) {
                std::lock_guard lock(mutex);
                all_done.notify_all();
              }
            });
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::unique_lock lock(mutex);
  ASSERT_TRUE(all_done.wait_for(lock, std::chrono::seconds(120),
                                [&] { return completions == kThreads * kPerThread; }))
      << completions << " of " << kThreads * kPerThread << " completed";
  lock.unlock();
  EXPECT_EQ(ok, kThreads * kPerThread);
  EXPECT_EQ(failed, 0);
  for (auto& count : seen) EXPECT_EQ(count, 1);
  EXPECT_EQ(server_.accepted(), kThreads * kPerThread);
}

}  // namespace
}  // namespace wechatpay
