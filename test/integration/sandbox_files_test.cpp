// Files against the sandbox: media uploads to the four APIv3 endpoints (signed over meta only;
// large files streamed from disk) and to APIv2's secapi/mch/uploadmedia (signed over its text
// parts), and trade / fund flow bills, plain and gzip, checked against openssl and gzip on the
// command line.
#include <cctype>
#include <ctime>
#include <filesystem>
#include <mutex>

#include <httplib.h>

#include "integration/sandbox_fixture.hpp"
#include "support/openssl_cli.hpp"

namespace wechatpay::test {
namespace {

constexpr std::size_t kMiB = 1024 * 1024;

// `size` bytes that do not repeat in any short period (so nothing compresses them away).
std::string file_content(std::size_t size) {
  std::string content(size, '\0');
  std::uint32_t x = 2463534242u;
  for (auto& c : content) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x);
  }
  return content;
}

std::string openssl_digest(const std::string& algorithm, const std::string& path) {
  return dgst_value(openssl("dgst -" + algorithm + " " + path));
}

class SandboxFiles : public SandboxTest {
 protected:
  Client client_ = client();
  TempDir dir_;
};

// ---- media -------------------------------------------------------------------------------

TEST_F(SandboxFiles, EachUploadEndpointAcceptsAFile) {
  struct Case {
    const char* endpoint;
    const char* filename;
    std::size_t size;
    const char* answer;
  };
  const Case cases[] = {
      {"v3/merchant/media/upload", "logo.png", 300 * 1024, "media_id"},
      {"v3/merchant/media/video_upload", "intro.mp4", 4 * kMiB + 12345, "media_id"},
      {"v3/marketing/favor/media/image-upload", "coupon.jpg", 2 * kMiB - 1, "media_url"},
      {"v3/merchant-service/images/upload", "proof.bmp", 64 * 1024, "media_id"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.endpoint);
    auto path = dir_.write(c.filename, file_content(c.size));
    auto response = v3::upload_media(client_[c.endpoint], path);
    EXPECT_EQ(response.status, 200);
    EXPECT_TRUE(response.verified);
    auto json = response.json();
    ASSERT_TRUE(json.contains(c.answer)) << response.body;
    EXPECT_GT(json[c.answer].as<std::string_view>().size(), 20u);
  }
}

TEST_F(SandboxFiles, ALargeUploadIsStreamedNotHeldInMemory) {
  const std::size_t size = 4 * kMiB + 777;
  auto path = dir_.write("large.mp4", file_content(size));
  // What the transport is handed: the request's in-memory body and the streamed body's length.
  std::mutex mutex;
  std::size_t body_in_memory = SIZE_MAX;
  std::uint64_t streamed = 0;
  client_.stack().push(map_request([&](Request request) {
                         std::lock_guard lock(mutex);
                         body_in_memory = request.body.size();
                         streamed = request.body_stream ? request.body_stream->size : 0;
                         return request;
                       }),
                       "observer");
  auto response = v3::upload_media(client_["v3/merchant/media/video_upload"], path);
  EXPECT_TRUE(response.verified);
  std::lock_guard lock(mutex);
  EXPECT_EQ(body_in_memory, 0u);
  EXPECT_GT(streamed, size);  // the file plus the multipart frame
  EXPECT_LT(streamed, size + 1024);

  // The streamed meta names the file's SHA-256 as openssl computes it.
  auto options = v3::media_upload_stream_options(path);
  EXPECT_EQ(*options.signed_body, R"({"filename":"large.mp4","sha256":")" +
                                      openssl_digest("sha256", path.string()) + "\"}");
}

TEST_F(SandboxFiles, ASignatureOverTheWholeBodyIsRefused) {
  std::string content = file_content(10'000);
  auto options = v3::media_upload_options("logo.png", content);
  options.signed_body.reset();  // sign the multipart body, as for an ordinary request
  auto error = api_error([&] { client_["v3/merchant/media/upload"]->post(options); });
  EXPECT_EQ(error.status(), 401);
  EXPECT_EQ(error.code(), "SIGN_ERROR");
  // A streamed body has no bytes in memory to sign: the client refuses rather than sign "".
  auto streamed = v3::media_upload_stream_options(dir_.write("clip.mp4", content));
  streamed.signed_body.reset();
  try {
    client_["v3/merchant/media/video_upload"]->post(streamed);
    ADD_FAILURE() << "a streamed body without signed_body was sent";
  } catch (const ApiError& e) {
    ADD_FAILURE() << "sent and refused: " << e.what();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("signed_body"), std::string::npos) << e.what();
  }
  // The same options signed over meta pass.
  EXPECT_EQ(client_["v3/merchant/media/upload"]
                ->post(v3::media_upload_options("logo.png", content))
                .status,
            200);
}

TEST_F(SandboxFiles, AWrongSha256OrAnOversizedFileIsAParamError) {
  auto small = dir_.write("logo.png", file_content(5000));
  auto wrong = api_error([&] {
    v3::upload_media(client_["v3/merchant/media/upload"], small,
                     Json{{"filename", "logo.png"}, {"sha256", std::string(64, '0')}});
  });
  EXPECT_EQ(wrong.status(), 400);
  EXPECT_EQ(wrong.code(), "PARAM_ERROR");
  EXPECT_NE(wrong.message().find("sha256"), std::string::npos) << wrong.message();

  auto big = dir_.write("big.png", file_content(2 * kMiB + 1));
  auto oversized = api_error([&] { v3::upload_media(client_["v3/merchant/media/upload"], big); });
  EXPECT_EQ(oversized.status(), 400);
  EXPECT_NE(oversized.message().find("at most 2 MiB"), std::string::npos) << oversized.message();
}

TEST_F(SandboxFiles, AStreamedFileThatShrinksFailsTheRequest) {
  auto path = dir_.write("shrinks.mp4", file_content(2 * kMiB));
  auto options = v3::media_upload_stream_options(path);
  std::filesystem::resize_file(path, kMiB);
  EXPECT_THROW(client_["v3/merchant/media/video_upload"]->post(options), Error);
  std::filesystem::remove(path);
  EXPECT_THROW(v3::upload_media(client_["v3/merchant/media/video_upload"], path), Error);
}

// ---- APIv2 media: secapi/mch/uploadmedia ---------------------------------------------------

class SandboxV2Media : public SandboxFiles {
 protected:
  Chain endpoint() const { return client_->v2["secapi"]["mch"]["uploadmedia"]; }
  std::string mchid() const { return client_.mchid(); }

  // The return_msg of a refused upload.
  std::string refusal(Options options) {
    return api_error([&] { endpoint()->post(std::move(options)); }).message();
  }
};

TEST_F(SandboxV2Media, AnImageUploadAnswersASignedMediaId) {
  auto path = dir_.write("id-card.jpg", file_content(300 * 1024));
  // What went out: the form's media_hash is openssl's MD5 of the file.
  std::mutex mutex;
  std::string sent;
  client_.v2_stack().push(map_request([&](Request request) {
                            std::lock_guard lock(mutex);
                            sent = request.body;
                            return request;
                          }),
                          "observer");
  const Response response = v2::upload_media(endpoint(), mchid(), path);
  EXPECT_TRUE(response.verified);
  const v2::XmlFields fields = v2::xml(response);
  EXPECT_EQ(fields.value("result_code"), "SUCCESS");
  EXPECT_EQ(fields.value("mch_id"), mchid());
  EXPECT_EQ(fields.value("sign").size(), 64u);  // HMAC-SHA256, as the request was signed
  const std::string media_id = fields.value("media_id");
  EXPECT_FALSE(media_id.empty());
  {
    std::lock_guard lock(mutex);
    EXPECT_NE(
        sent.find("name=\"media_hash\"\r\n\r\n" + openssl_digest("md5", path.string()) + "\r\n"),
        std::string::npos);
  }
  // The same image again (here MD5-signed, and async): the same media_id.
  const Response again =
      endpoint()
          ->post_async(v2::media_upload_options(mchid(), "id-card.jpg", file_content(300 * 1024),
                                                v2::SignType::kMd5))
          .get();
  EXPECT_TRUE(again.verified);
  EXPECT_EQ(v2::xml(again).value("sign").size(), 32u);
  EXPECT_EQ(v2::xml(again).value("media_id"), media_id);
  // Another image: another media_id.
  auto other = dir_.write("other.png", file_content(1000));
  EXPECT_NE(v2::xml(v2::upload_media(endpoint(), mchid(), other)).value("media_id"), media_id);
}

TEST_F(SandboxV2Media, AHashThatIsNotTheFilesLowerCaseMd5IsRefused) {
  const std::string content = file_content(5000);
  Options wrong = v2::media_upload_options(mchid(), "a.png", content);
  wrong.xml.set("media_hash", v2::media_hash("another file"));
  EXPECT_EQ(refusal(std::move(wrong)), "media_hash参数格式错误");
  Options upper = v2::media_upload_options(mchid(), "a.png", content);
  std::string hash = v2::media_hash(content);
  for (auto& c : hash) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  upper.xml.set("media_hash", hash);
  EXPECT_EQ(refusal(std::move(upper)), "media_hash参数格式错误");
  EXPECT_EQ(refusal(v2::media_upload_options(mchid(), "big.png", file_content(2 * kMiB + 1))),
            "media参数格式错误");
}

TEST_F(SandboxV2Media, AMissingPartIsAFailNamingIt) {
  for (const char* field : {"media_hash", "sign_type"}) {
    Options options = v2::media_upload_options(mchid(), "a.png", "x");
    options.xml.set(field, Json());  // absent: not sent
    options.validation = ValidationMode::off;
    EXPECT_EQ(refusal(std::move(options)), std::string(field) + "参数缺失");
  }
  Options no_media = v2::media_upload_options(mchid(), "a.png", "x");
  no_media.form_file->name = "file";  // the v3 name: no `media` part
  EXPECT_EQ(refusal(std::move(no_media)), "media参数缺失");
  // The text fields as an XML body, no form at all.
  Options xml = v2::media_upload_options(mchid(), "a.png", "x");
  xml.form_file.reset();
  EXPECT_EQ(refusal(std::move(xml)), "media参数缺失");
}

TEST_F(SandboxV2Media, TheCertificateTheKeyAndTheFileAreChecked) {
  Options no_certificate = v2::media_upload_options(mchid(), "a.png", "x");
  no_certificate.security = false;
  EXPECT_EQ(refusal(std::move(no_certificate)), "CERT_ERROR");
  ClientConfig config = sandbox().config();
  config.secret = std::string(32, 'x');  // another APIv2 key: the sign does not verify
  EXPECT_EQ(api_error([&] {
              v2::upload_media(Client(config)->v2["secapi"]["mch"]["uploadmedia"], mchid(),
                               dir_.write("a.png", "x"));
            }).message(),
            "签名错误");
  EXPECT_THROW(v2::upload_media(endpoint(), mchid(), dir_.path() / "missing.png"), Error);
}

// ---- bills -------------------------------------------------------------------------------

class SandboxBills : public SandboxFiles {
 protected:
  // Today in Beijing, when the sandbox's orders are paid.
  static std::string today() {
    std::time_t shifted = std::time(nullptr) + 8 * 3600;
    std::tm parts{};
    gmtime_r(&shifted, &parts);
    char buffer[16];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &parts);
    return buffer;
  }

  // A paid order, so today's bills have a row of it; returns its out_trade_no.
  std::string paid_order() {
    std::string out_trade_no = create_order(client_, 4321);
    sandbox().admin("POST", "/sandbox/orders/" + out_trade_no + "/pay");
    return out_trade_no;
  }

  // The bill file as the server sends it (gzip or not), fetched apart from download_bill.
  std::string raw_file(const v3::BillDownload& bill) {
    auto token = bill.download_url.substr(bill.download_url.find("token=") + 6);
    return client_["v3/billdownload/file"]->get({.query = {{"token", token}}}).body;
  }

  struct Downloaded {
    v3::BillDownload bill;
    std::string path;
    std::vector<std::uint64_t> progress;
  };

  Downloaded download(const std::string& endpoint, Query query, const std::string& name) {
    Downloaded result;
    result.path = dir_ / name;
    std::mutex mutex;
    result.bill = v3::download_bill(client_, endpoint, std::move(query), result.path,
                                    [&](std::uint64_t received, std::int64_t) {
                                      std::lock_guard lock(mutex);
                                      result.progress.push_back(received);
                                    });
    EXPECT_FALSE(std::filesystem::exists(result.path + ".part"));
    EXPECT_EQ(result.bill.hash_type, "SHA1");
    EXPECT_EQ(openssl_digest("sha1", result.path), result.bill.hash_value);
    for (std::size_t i = 1; i < result.progress.size(); ++i) {
      EXPECT_GT(result.progress[i], result.progress[i - 1]);
    }
    return result;
  }
};

TEST_F(SandboxBills, TradeBillPlainHoldsTodaysOrder) {
  std::string out_trade_no = paid_order();
  auto got = download("v3/bill/tradebill", {{"bill_date", today()}}, "trade.csv");
  std::string content = read_file(got.path);
  EXPECT_TRUE(content.starts_with("交易时间,公众账号ID,商户号")) << content.substr(0, 80);
  EXPECT_NE(content.find("`" + out_trade_no + ",`"), std::string::npos);
  EXPECT_NE(content.find("`43.21,"), std::string::npos);
  EXPECT_NE(content.find("\n总交易单数,"), std::string::npos);
  EXPECT_EQ(raw_file(got.bill), content);
  ASSERT_FALSE(got.progress.empty());
  EXPECT_EQ(got.progress.back(), content.size());
}

TEST_F(SandboxBills, TradeBillGzipMatchesTheGzipTool) {
  std::string out_trade_no = paid_order();
  auto got = download("v3/bill/tradebill",
                      {{"bill_date", today()}, {"bill_type", "SUCCESS"}, {"tar_type", "GZIP"}},
                      "trade-gz.csv");
  std::string compressed = raw_file(got.bill);
  write_file(dir_ / "raw.gz", compressed);
  EXPECT_EQ(run_ok("gzip -dc " + (dir_ / "raw.gz")), read_file(got.path));
  EXPECT_NE(read_file(got.path).find(out_trade_no), std::string::npos);
  ASSERT_FALSE(got.progress.empty());
  EXPECT_EQ(got.progress.back(), compressed.size()) << "progress counts bytes on the wire";
}

TEST_F(SandboxBills, FundflowBillGzipArrivesInManyPieces) {
  auto got =
      download("v3/bill/fundflowbill",
               {{"bill_date", "2024-06-01"}, {"account_type", "OPERATION"}, {"tar_type", "GZIP"}},
               "fundflow.csv");
  std::string content = read_file(got.path);
  EXPECT_GT(content.size(), 200u * 1024);
  EXPECT_TRUE(content.starts_with("记账时间,微信支付业务单号")) << content.substr(0, 80);
  write_file(dir_ / "fundflow.gz", raw_file(got.bill));
  EXPECT_EQ(run_ok("gzip -dc " + (dir_ / "fundflow.gz")), content);
  EXPECT_GE(got.progress.size(), 3u);
  // Deterministic: the same day's bill again has the same hash.
  auto again = v3::parse_bill_download(client_["v3/bill/fundflowbill"]->get(
      {.query = {{"bill_date", "2024-06-01"}, {"account_type", "OPERATION"}}}));
  EXPECT_EQ(again.hash_value, got.bill.hash_value);
}

TEST_F(SandboxBills, AWrongHashLeavesNoFile) {
  sandbox().admin("POST", "/sandbox/faults",
                  R"({"mode":"wrong_hash","path":"/v3/bill/tradebill","count":1})");
  auto out = dir_.path() / "bad.csv";
  EXPECT_THROW(v3::download_bill(client_, "v3/bill/tradebill",
                                 {{"bill_date", "2024-06-01"}, {"tar_type", "GZIP"}}, out),
               VerificationError);
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_FALSE(std::filesystem::exists(out.string() + ".part"));
}

TEST_F(SandboxBills, BadQueriesAndTokensAreRefused) {
  for (const char* date : {"2024-6-1", "2024-02-30", "yesterday"}) {
    SCOPED_TRACE(date);
    auto error = api_error([&] {
      client_["v3/bill/tradebill"]->get({.query = {{"bill_date", date}}});
    });
    EXPECT_EQ(error.status(), 400);
    EXPECT_EQ(error.code(), "PARAM_ERROR");
  }
  // Without bill_date: the client refuses it (the contract requires it); the sandbox too.
  EXPECT_THROW(client_["v3/bill/fundflowbill"]->get(), ValidationError);
  EXPECT_EQ(api_error([&] {
              client_["v3/bill/fundflowbill"]->get({.validation = ValidationMode::off});
            }).code(),
            "PARAM_ERROR");
  EXPECT_EQ(api_error([&] {
              client_["v3/bill/fundflowbill"]->get(
                  {.query = {{"bill_date", "2024-06-01"}, {"account_type", "GOLD"}}});
            }).status(),
            400);
  EXPECT_EQ(api_error([&] {
              client_["v3/billdownload/file"]->get({.query = {{"token", "no-such-token"}}});
            }).status(),
            404);
  // Without the merchant's signature the file is refused.
  httplib::Client anonymous(sandbox().base_uri().substr(0, sandbox().base_uri().size() - 1));
  anonymous.set_ca_cert_path((sandbox().state() / "ca.pem").c_str());
  auto result = anonymous.Get("/v3/billdownload/file?token=no-such-token");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 401);
}

}  // namespace
}  // namespace wechatpay::test
