// Bill download over real HTTPS on 127.0.0.1 against a small WeChat Pay stand-in, for what the
// sandbox does not produce: a download_url whose token is percent-encoded, and a gzip bill
// written by the gzip tool rather than zlib. Certificates, notifications, uploads and the rest
// of bills are tested against the sandbox (sandbox_{certificates,notifications,files}_test).
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
    std::string signer = "platform";  // cached key name
    std::string signer_serial;
    std::string bill = "交易时间,公众账号ID\n`2024-06-01 10:00:00,`wx8888\n";
  };

  FakeWeChatPay()
      : server_([this](httplib::Server& s, test::TlsServer&) {
          s.Get("/v3/bill/tradebill", [this](const auto& req, auto& res) { tradebill(req, res); });
          s.Get("/v3/billdownload/file", [this](const auto& req, auto& res) { file(req, res); });
        }) {}

  template <typename Fn>
  void change(Fn fn) {
    std::lock_guard lock(mutex_);
    fn(state_);
  }
  std::string url(std::string_view path = "/") const { return server_.url(path); }

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

  void tradebill(const httplib::Request& req, httplib::Response& res) {
    auto s = state();
    auto hash = crypto::sha1_hex(s.bill);
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
  test::TlsServer server_;
};

class Features : public ::testing::Test {
 protected:
  Features() {
    server_.change([&](auto& s) { s.signer_serial = platform_.serial_hex; });
  }

  ClientConfig config() {
    return {.mchid = "1900000001",
            .serial = kMerchantSerial,
            .private_key = test::cached_rsa_key("merchant").private_pem,
            .certs = {{platform_.serial_hex, platform_.pem}},
            .base_uri = server_.url(),
            .ca_bundle = ca_file_.string()};
  }

  FakeWeChatPay server_;
  test::TempDir dir_;
  std::filesystem::path ca_file_ = dir_.write("ca.pem", test::test_ca().pem());
  pki::Certificate platform_ = platform_certificate("1A2B3C4D5E6F01", "platform");
};

TEST_F(Features, BillWithAnEncodedTokenPlainAndGzippedByTheGzipTool) {
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

}  // namespace
}  // namespace wechatpay
