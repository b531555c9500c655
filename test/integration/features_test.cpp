// The v3 features over real HTTPS on 127.0.0.1 against a small WeChat Pay stand-in: platform
// certificate download, rotation and public-key mode; notifications through the client; media
// upload signed over meta only; bill download with digest check and gzip.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <regex>

#include "support/openssl_cli.hpp"
#include "support/tls_server.hpp"
#include "support/wechatpay_fixtures.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay {
namespace {

using namespace std::chrono_literals;

const std::string kMerchantSerial = "3775B6A45ACD588826D15E583A95F5DD2A5C6A74";
const std::string kPublicKeyId = "PUB_KEY_ID_0114232134912410000000000000";

pki::Certificate platform_certificate(const std::string& serial, const char* key) {
  pki::CertificateSpec spec;
  spec.common_name = "Tenpay.com Root CA";
  spec.serial_hex = serial;
  return test::test_ca().issue(spec, test::cached_rsa_key(key));
}

// The WeChat Pay side. Everything it answers is signed by `signer` under `signer_serial`,
// except bill files.
class FakeWeChatPay {
 public:
  struct State {
    std::vector<pki::Certificate> listed;
    std::string signer = "platform";  // cached key name
    std::string signer_serial;
    bool certificates_missing = false;  // 404 RESOURCE_NOT_EXISTS: public-key merchant
    std::string apiv3_key = test::kApiV3Key;
    std::string bill = "交易时间,公众账号ID\n`2024-06-01 10:00:00,`wx8888\n";
    bool wrong_hash = false;
  };

  FakeWeChatPay()
      : server_([this](httplib::Server& s, test::TlsServer&) {
          s.Get("/v3/certificates", [this](const auto& req, auto& res) { certificates(req, res); });
          s.Get("/v3/ping", [this](const auto& req, auto& res) { reply(req, res, 200, "{}"); });
          s.Post("/v3/merchant/media/upload",
                 [this](const auto& req, auto& res) { upload(req, res); });
          s.Get("/v3/bill/tradebill", [this](const auto& req, auto& res) { tradebill(req, res); });
          s.Get("/v3/billdownload/file", [this](const auto& req, auto& res) { file(req, res); });
        }) {}

  template <typename Fn>
  void change(Fn fn) {
    std::lock_guard lock(mutex_);
    fn(state_);
  }
  std::string url(std::string_view path = "/") const { return server_.url(path); }
  int certificate_downloads() const { return certificate_downloads_; }

 private:
  State state() {
    std::lock_guard lock(mutex_);
    return state_;
  }

  // "" when the merchant signed `signed_body` for this request; otherwise the reason.
  static std::string check_signature(const httplib::Request& req, const std::string& signed_body) {
    static const std::regex auth(
        R"re(WECHATPAY2-SHA256-RSA2048 mchid="1900000001",serial_no="([0-9A-F]+)",timestamp="(\d+)",nonce_str="(\w+)",signature="([A-Za-z0-9+/=]+)")re");
    std::smatch m;
    auto header = req.get_header_value("Authorization");
    if (!std::regex_match(header, m, auth)) return "malformed Authorization";
    auto message = req.method + "\n" + req.target + "\n" + m[2].str() + "\n" + m[3].str() + "\n" +
                   signed_body + "\n";
    auto merchant = crypto::PublicKey::load(test::cached_rsa_key("merchant").public_pem);
    return crypto::rsa_verify_sha256(merchant, message, m[4].str()) ? "" : "bad signature";
  }

  void reply(const httplib::Request& req, httplib::Response& res, int status,
             const std::string& body) {
    auto s = state();
    if (auto problem = check_signature(req, req.body); !problem.empty() && req.method == "GET") {
      return sign(res, s, 401, R"({"code":"SIGN_ERROR","message":")" + problem + "\"}");
    }
    sign(res, s, status, body);
  }

  static void sign(httplib::Response& res, const State& s, int status, const std::string& body) {
    auto key = crypto::PrivateKey::load(test::cached_rsa_key(s.signer).private_pem);
    for (const auto& [name, value] :
         test::wechatpay_headers(key, s.signer_serial, body, std::time(nullptr))) {
      res.set_header(name, value);
    }
    res.status = status;
    res.set_content(body, "application/json");
  }

  void certificates(const httplib::Request& req, httplib::Response& res) {
    ++certificate_downloads_;
    auto s = state();
    if (s.certificates_missing) {
      return reply(req, res, 404, R"({"code":"RESOURCE_NOT_EXISTS","message":"无可用的平台证书"})");
    }
    reply(req, res, 200, test::certificates_body(s.listed, s.apiv3_key));
  }

  void upload(const httplib::Request& req, httplib::Response& res) {
    auto s = state();
    if (!req.has_file("meta") || !req.has_file("file")) {
      return sign(res, s, 400, R"({"code":"PARAM_ERROR","message":"parts"})");
    }
    auto meta = req.get_file_value("meta").content;
    auto file = req.get_file_value("file");
    if (auto problem = check_signature(req, meta); !problem.empty()) {
      return sign(res, s, 401, R"({"code":"SIGN_ERROR","message":")" + problem + "\"}");
    }
    auto parsed = Json::parse(meta);
    if (parsed.find("sha256")->str() != crypto::sha256_hex(file.content) ||
        parsed.find("filename")->str() != file.filename) {
      return sign(res, s, 400, R"({"code":"PARAM_ERROR","message":"meta does not match"})");
    }
    sign(res, s, 200, R"({"media_id":"MEDIA-)" + std::to_string(file.content.size()) + "\"}");
  }

  void tradebill(const httplib::Request& req, httplib::Response& res) {
    auto s = state();
    auto hash = crypto::sha1_hex(s.bill);
    if (s.wrong_hash) hash[0] = hash[0] == '0' ? '1' : '0';
    auto gzip = req.get_param_value("tar_type") == "GZIP";
    reply(req, res, 200,
          Json{{"hash_type", "SHA1"},
               {"hash_value", hash},
               {"download_url",
                url(std::string("/v3/billdownload/file?token=t%2B1") + (gzip ? "&gzip=1" : ""))}}
              .dump());
  }

  void file(const httplib::Request& req, httplib::Response& res) {
    auto s = state();
    if (!check_signature(req, "").empty() || req.get_param_value("token") != "t+1") {
      res.status = 401;
      return res.set_content(R"({"code":"SIGN_ERROR","message":"download"})", "application/json");
    }
    auto body = s.bill;
    if (req.has_param("gzip")) {
      test::TempDir dir;
      auto plain = dir.write("bill.csv", body);
      test::run_ok("gzip -c " + plain.string() + " > " + (dir / "bill.csv.gz"));
      body = test::read_file(dir / "bill.csv.gz");
    }
    res.set_content(body, "application/octet-stream");
  }

  std::mutex mutex_;
  State state_;
  std::atomic<int> certificate_downloads_{0};
  test::TlsServer server_;
};

class Features : public ::testing::Test {
 protected:
  Features() {
    server_.change([&](auto& s) {
      s.listed = {first_};
      s.signer_serial = first_.serial_hex;
    });
  }

  ClientConfig config(bool refresh = true) {
    return {.mchid = "1900000001",
            .serial = kMerchantSerial,
            .private_key = test::cached_rsa_key("merchant").private_pem,
            .apiv3_key = test::kApiV3Key,
            .certificate_refresh = {.enabled = refresh},
            .logger =
                [this](LogLevel, std::string_view m) {
                  std::lock_guard lock(log_mutex_);
                  log_.emplace_back(m);
                },
            .base_uri = server_.url(),
            .ca_bundle = ca_file_.string()};
  }
  std::vector<std::string> log() {
    std::lock_guard lock(log_mutex_);
    return log_;
  }

  FakeWeChatPay server_;
  test::TempDir dir_;
  std::filesystem::path ca_file_ = dir_.write("ca.pem", test::test_ca().pem());
  pki::Certificate first_ = platform_certificate("1A2B3C4D5E6F01", "platform");
  pki::Certificate second_ = platform_certificate("6F5E4D3C2B1A02", "platform-next");
  std::mutex log_mutex_;
  std::vector<std::string> log_;
};

TEST_F(Features, CertificatesBootstrapThenRotateOnAnUnknownSerial) {
  Client client(config());
  EXPECT_EQ(server_.certificate_downloads(), 1);
  EXPECT_TRUE(client.key_store().find(first_.serial_hex));
  EXPECT_TRUE(client["v3/ping"]->get().verified);

  // WeChat Pay rotates: lists both and signs with the new one.
  server_.change([&](auto& s) {
    s.listed = {first_, second_};
    s.signer = "platform-next";
    s.signer_serial = second_.serial_hex;
  });
  EXPECT_TRUE(client["v3/ping"]->get().verified);
  EXPECT_EQ(server_.certificate_downloads(), 2) << "exactly one refresh";
  EXPECT_TRUE(client["v3/ping"]->get().verified);
  EXPECT_EQ(server_.certificate_downloads(), 2);

  // A serial WeChat Pay does not list: one more refresh is not allowed within a minute.
  server_.change([&](auto& s) { s.signer_serial = "0DDBA11"; });
  EXPECT_THROW(client["v3/ping"]->get(), VerificationError);
  EXPECT_EQ(server_.certificate_downloads(), 2);
  client.stop();
}

TEST_F(Features, PublicKeyModeOn404KeepsWorkingAndLogsOnce) {
  server_.change([&](auto& s) {
    s.certificates_missing = true;
    s.signer = "pubkey";
    s.signer_serial = kPublicKeyId;
  });
  auto c = config();
  c.certs = {{kPublicKeyId, test::cached_rsa_key("pubkey").public_pem}};
  Client client(c);
  EXPECT_TRUE(client.certificate_manager()->public_key_mode());
  EXPECT_TRUE(client["v3/ping"]->get().verified);
  EXPECT_EQ(log().size(), 1u);
  EXPECT_NE(log()[0].find("RESOURCE_NOT_EXISTS"), std::string::npos);
}

TEST_F(Features, StartFailsFastWithAWrongApiV3Key) {
  server_.change([](auto& s) { s.apiv3_key = "ZYXWVUTSRQPONMLKJIHGFEDCBA987654"; });
  EXPECT_THROW(Client{config()}, CryptoError);
  auto bad = config();
  bad.certificate_refresh.interval = 30min;
  EXPECT_THROW(Client{bad}, ConfigError);
}

TEST_F(Features, NotificationFromANewCertificateRefreshesOnce) {
  Client client(config());
  server_.change([&](auto& s) { s.listed = {first_, second_}; });
  auto resource = test::sealed(R"({"out_trade_no":"T1"})", "transaction");
  auto body =
      Json{{"id", "EV-1"}, {"event_type", "TRANSACTION.SUCCESS"}, {"resource", resource}}.dump();
  auto headers = test::wechatpay_headers(
      crypto::PrivateKey::load(test::cached_rsa_key("platform-next").private_pem),
      second_.serial_hex, body, std::time(nullptr));
  auto notification = client.parse_notification(headers, body);
  EXPECT_EQ(notification.plaintext, R"({"out_trade_no":"T1"})");
  EXPECT_EQ(server_.certificate_downloads(), 2);
}

TEST_F(Features, MediaUploadIsSignedOverMetaOnly) {
  Client client(config());
  std::string content(100'000, '\0');
  for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i * 7);
  auto path = dir_.write("logo.png", content);
  auto res = v3::upload_media(client["v3/merchant/media/upload"], path);
  EXPECT_TRUE(res.verified);
  EXPECT_STREQ(res.json()["media_id"].GetString(), "MEDIA-100000");
  // The same upload signed over the whole body is refused: the server checks meta only.
  auto options = v3::media_upload_options("logo.png", content);
  options.signed_body.reset();
  EXPECT_THROW(client["v3/merchant/media/upload"]->post(options), ApiError);
}

TEST_F(Features, BillDownloadPlainAndGzipWithProgress) {
  Client client(config());
  for (bool gzip : {false, true}) {
    SCOPED_TRACE(gzip);
    auto out = dir_.path() / (gzip ? "gz.csv" : "plain.csv");
    std::atomic<std::uint64_t> seen{0};
    Query query{{"bill_date", "2024-06-01"}};
    if (gzip) query.emplace_back("tar_type", "GZIP");
    auto bill = v3::download_bill(client, "v3/bill/tradebill", query, out,
                                  [&](std::uint64_t received, std::int64_t) { seen = received; });
    EXPECT_EQ(bill.hash_type, "SHA1");
    EXPECT_EQ(test::read_file(out.string()), "交易时间,公众账号ID\n`2024-06-01 10:00:00,`wx8888\n");
    EXPECT_GT(seen.load(), 0u);
    EXPECT_FALSE(std::filesystem::exists(out.string() + ".part"));
  }
}

TEST_F(Features, BillWithAWrongHashLeavesNoFile) {
  Client client(config());
  server_.change([](auto& s) { s.wrong_hash = true; });
  auto out = dir_.path() / "bad.csv";
  EXPECT_THROW(v3::download_bill(client, "v3/bill/tradebill", {{"bill_date", "2024-06-01"}}, out),
               VerificationError);
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_FALSE(std::filesystem::exists(out.string() + ".part"));
}

}  // namespace
}  // namespace wechatpay
