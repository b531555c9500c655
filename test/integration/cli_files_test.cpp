// The `wxpay` commands that handle files: certificates (PEM files checked with openssl), notify
// (a webhook captured from the sandbox) and download (a bill from a small HTTPS server).
#include <ctime>
#include <filesystem>
#include <mutex>

#include <gmock/gmock.h>

#include "integration/cli_runner.hpp"
#include "integration/sandbox_fixture.hpp"
#include "support/tls_server.hpp"
#include "support/wechatpay_fixtures.hpp"

namespace wechatpay::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class CliFiles : public SandboxTest {
 protected:
  static CliRun wxpay(std::vector<std::string> args, CliEnvironment setup = {}) {
    args.insert(args.begin() + 1, {"--profile", sandbox().profile_path()});
    return run_wxpay(args, setup);
  }
  TempDir dir_;
};

// ---- certificates ----

TEST_F(CliFiles, CertificatesAreWrittenAsPemThatOpensslReadsBack) {
  auto run = wxpay({"certificates", "--out", dir_ / "certs"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  // The sandbox's platform certificate, read independently.
  auto expected = openssl("x509 -noout -serial -in " + (sandbox().state() / "platform_cert.pem"));
  ASSERT_THAT(expected, StartsWith("serial="));
  std::string serial = expected.substr(7, expected.find('\n') - 7);

  auto file = dir_ / ("certs/wechatpay_" + serial + ".pem");
  ASSERT_TRUE(fs::exists(file)) << run.out;
  EXPECT_EQ(openssl("x509 -noout -serial -in " + file), "serial=" + serial + "\n");
  EXPECT_EQ(line_count(run.out), 1u);
  EXPECT_THAT(run.out, StartsWith(serial + "  "));
  EXPECT_THAT(run.out, HasSubstr(file));
  // Validity as openssl prints it, e.g. "notAfter=Nov 22 02:46:18 2027 GMT" -> "2027-11-22T".
  auto not_after = openssl("x509 -noout -enddate -dateopt iso_8601 -in " + file);
  EXPECT_THAT(run.out, HasSubstr(not_after.substr(9, 10) + "T")) << not_after;

  // Common options may also precede the command.
  auto again =
      run_wxpay({"--profile", sandbox().profile_path(), "certificates", "--out", dir_ / "again"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(read_file(dir_ / ("again/wechatpay_" + serial + ".pem")), read_file(file));
}

TEST_F(CliFiles, CertificatesNeedTheApiV3Key) {
  auto profile = Json::parse(read_file(sandbox().profile_path()));
  Json without_key = Json::object();
  for (const auto& [name, value] : profile.members()) {
    if (name != "apiv3_key") without_key.set(name, value);
  }
  auto path = dir_.write("profile.json", without_key.dump());
  auto run = run_wxpay({"certificates", "--profile", path.string(), "--out", dir_ / "certs"});
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_THAT(run.err, StartsWith("wxpay: config: apiv3_key: "));
  EXPECT_FALSE(fs::exists(dir_ / "certs"));
}

// ---- notify ----

class CliNotify : public CliFiles {
 protected:
  // The raw request the sandbox POSTs, as a capture tool would save it; the order it paid.
  struct Capture {
    std::string raw, out_trade_no;
  };

  Capture capture(const std::string& line_end) {
    std::mutex mutex;
    std::string raw;
    TlsServer receiver([&](httplib::Server& server, TlsServer&) {
      server.Post("/notify", [&](const httplib::Request& request, httplib::Response& response) {
        std::lock_guard lock(mutex);
        raw = "POST /notify HTTP/1.1" + line_end;
        for (const auto& [name, value] : request.headers) raw += name + ": " + value + line_end;
        raw += line_end + request.body;
        response.status = 204;
      });
    });
    auto answer = Json::parse(
        sandbox().admin("POST", "/sandbox/webhooks",
                        Json{{"url", receiver.url("/notify")}, {"version", "v3"}}.dump()));
    EXPECT_EQ(answer.find("status")->to_text(), "204") << answer.dump();
    std::lock_guard lock(mutex);
    return {raw, answer.find("out_trade_no")->str()};
  }

  // Checks that `run` printed the envelope and the decrypted transaction of `capture`.
  static void expect_decrypted(const CliRun& run, const Capture& capture) {
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_THAT(run.out, HasSubstr("event_type: TRANSACTION.SUCCESS\n"));
    EXPECT_THAT(run.out, HasSubstr("original_type: transaction\n"));
    auto transaction = Json::parse(run.out.substr(run.out.find("\n\n") + 2));
    EXPECT_EQ(transaction.find("out_trade_no")->str(), capture.out_trade_no);
    EXPECT_EQ(transaction.find("trade_state")->str(), "SUCCESS");
  }
};

TEST_F(CliNotify, CapturedWebhookVerifiesAndDecrypts) {
  auto crlf = capture("\r\n");
  expect_decrypted(wxpay({"notify"}, {.input = crlf.raw}), crlf);
  auto lf = capture("\n");
  expect_decrypted(wxpay({"notify"}, {.input = lf.raw + "\n"}), lf);  // an editor's final newline
  // Without the request line.
  auto headers_only = lf.raw.substr(lf.raw.find('\n') + 1);
  expect_decrypted(wxpay({"notify", "--headers-only"}, {.input = headers_only}), lf);
  auto file = dir_.write("capture.txt", crlf.raw);
  expect_decrypted(wxpay({"notify", "--in", file.string()}), crlf);
}

TEST_F(CliNotify, TamperedWebhookIsAVerificationFailure) {
  auto capture = this->capture("\r\n");
  auto tampered = capture.raw;
  auto at = tampered.find("TRANSACTION.SUCCESS");
  ASSERT_NE(at, std::string::npos);
  tampered.replace(at, 11, "TRANSACTIOn");
  auto run = wxpay({"notify"}, {.input = tampered});
  EXPECT_EQ(run.exit_code, 6) << run.err;
  EXPECT_THAT(run.err, StartsWith("wxpay: verification: "));
  EXPECT_EQ(line_count(run.err), 1u);
  EXPECT_EQ(run.out, "");
}

TEST_F(CliNotify, MalformedCaptureIsAFormatError) {
  auto capture = this->capture("\n");
  for (const std::string& input :
       {capture.raw.substr(capture.raw.find('\n') + 1),               // no request line
        capture.raw.substr(0, capture.raw.find("\n\n")),              // no blank line
        std::string("POST / HTTP/1.1\nnot a header\n\n{}"),           // header without a name
        std::string("POST / HTTP/1.1\nContent-Length: 99\n\n{}")}) {  // body too short
    auto run = wxpay({"notify"}, {.input = input});
    EXPECT_EQ(run.exit_code, 9) << run.err;
    EXPECT_THAT(run.err, StartsWith("wxpay: input: "));
  }
}

// ---- download ----

class CliDownload : public CliFiles {
 protected:
  // Serves `bill_` (and its gzip) under the sandbox's TLS certificate, which the profile trusts.
  std::string bill_ =
      "交易时间,公众账号ID\n`2024-06-01 10:00:00,`wx8888\n" + std::string(200000, 'x');
  std::string gzip_ = [this] {
    auto plain = dir_.write("bill.csv", bill_);
    run_ok("gzip -c " + plain.string() + " > " + (dir_ / "bill.csv.gz"));
    return read_file(dir_ / "bill.csv.gz");
  }();
  std::string sha1_ = dgst_value(openssl("dgst -sha1 " + (dir_ / "bill.csv")));
  TlsServer server_{[this](httplib::Server& server, TlsServer&) {
                      server.Get("/v3/billdownload/file", [this](const httplib::Request& request,
                                                                 httplib::Response& response) {
                        response.set_content(request.has_param("gzip") ? gzip_ : bill_,
                                             "application/octet-stream");
                      });
                      server.Get("/v3/bill/tradebill", [this](const httplib::Request& request,
                                                              httplib::Response& response) {
                        tradebill(request, response);
                      });
                    },
                    sandbox_certificate()};

  // The bill answer, signed like the sandbox signs (its WeChat Pay public key); remembers the
  // query it was asked with.
  void tradebill(const httplib::Request& request, httplib::Response& response) {
    std::string url = "/v3/billdownload/file?token=t1";
    if (request.get_param_value("tar_type") == "GZIP") url += "&gzip=1";
    std::string body =
        Json{{"hash_type", "SHA1"}, {"hash_value", sha1_}, {"download_url", server_.url(url)}}
            .dump();
    std::string key_id;
    for (const auto& [id, spec] : sandbox().config().certs) {
      if (id.starts_with("PUB_KEY_ID_")) key_id = id;
    }
    auto key = crypto::PrivateKey::load("file://" + (sandbox().state() / "pub_key_private.pem"));
    for (const auto& [name, value] : wechatpay_headers(key, key_id, body, std::time(nullptr))) {
      response.set_header(name, value);
    }
    response.set_content(body, "application/json");
    std::lock_guard lock(mutex_);
    bill_query_ = request.params;
  }

  std::mutex mutex_;
  httplib::Params bill_query_;

  static TlsServerOptions sandbox_certificate() {
    TlsServerOptions options;
    options.cert_pem = read_file(sandbox().state() / "server_cert.pem");
    options.key_pem = read_file(sandbox().state() / "server_key.pem");
    return options;
  }
};

TEST_F(CliDownload, PlainAndGzipBillsAreWrittenWhenTheDigestMatches) {
  auto out = dir_ / "out.csv";
  auto run = wxpay({"download", server_.url("/v3/billdownload/file?token=t1"), "--hash",
                    "SHA1:" + sha1_, "--out", out});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(read_file(out), bill_);
  EXPECT_EQ(run.err, "");  // stderr is not a terminal: no progress bar
  EXPECT_THAT(run.out, HasSubstr(sha1_ + " verified"));

  auto unzipped = dir_ / "unzipped.csv";
  auto gzip = wxpay({"download", server_.url("/v3/billdownload/file?token=t1&gzip=1"), "--hash",
                     sha1_, "--gzip", "--out", unzipped});
  ASSERT_EQ(gzip.exit_code, 0) << gzip.err;
  EXPECT_EQ(read_file(unzipped), bill_);
}

TEST_F(CliDownload, BillAsksForTheBillThenDownloadsIt) {
  auto out = dir_ / "trade.csv";
  auto run = wxpay({"bill", "tradebill", "--date", "2024-06-01", "--gzip", "--query",
                    "bill_type=ALL", "--out", out, "--base-uri", server_.url()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(read_file(out), bill_);
  std::lock_guard lock(mutex_);
  EXPECT_EQ(
      bill_query_,
      (httplib::Params{{"bill_date", "2024-06-01"}, {"bill_type", "ALL"}, {"tar_type", "GZIP"}}));
}

TEST_F(CliDownload, WrongHashIsAVerificationFailureAndLeavesNoFile) {
  auto wrong = sha1_;
  wrong[0] = wrong[0] == '0' ? '1' : '0';
  auto out = dir_ / "out.csv";
  auto run = wxpay(
      {"download", server_.url("/v3/billdownload/file?token=t1"), "--hash", wrong, "--out", out});
  EXPECT_EQ(run.exit_code, 6) << run.err;
  EXPECT_THAT(run.err, StartsWith("wxpay: verification: "));
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out + ".part"));
}

TEST_F(CliDownload, ProgressBarOnATerminal) {
  // script(1) gives wxpay a pseudo-terminal; its output is what the terminal showed.
  if (run("command -v script").status != 0) GTEST_SKIP() << "script(1) is not installed";
  auto out = dir_ / "out.csv";
  auto command = std::string(WECHATPAY_WXPAY_BINARY) + " download --profile " +
                 sandbox().profile_path() + " " + server_.url("/v3/billdownload/file?token=t1") +
                 " --hash " + sha1_ + " --out " + out;
  auto shown = run_ok("script -qec '" + command + "' /dev/null");
  EXPECT_THAT(shown, HasSubstr("\r[####################] 100%"));
  EXPECT_THAT(shown, HasSubstr("/195.4 KiB"));  // 200,057 bytes
  EXPECT_EQ(read_file(out), bill_);
}

}  // namespace
}  // namespace wechatpay::test
