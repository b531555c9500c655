#include "wechatpay/v3/verifier.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/pki.hpp"
#include "support/temp_dir.hpp"
#include "wechatpay/crypto/rsa.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::v3 {
namespace {

constexpr std::int64_t kNow = 1'700'000'000;
const std::string kSerial = "PUB_KEY_ID_0114232134912410000000000000";

class Verifier : public ::testing::Test {
 protected:
  Verifier()
      : platform_(crypto::PrivateKey::load(test::cached_rsa_key("platform").private_pem)),
        keys_(std::make_shared<crypto::KeyStore>(
            crypto::KeyStore::Snapshot{{kSerial, {crypto::PublicKey::of(platform_), 0}}})) {}

  // A response signed the way WeChat Pay signs: "TIMESTAMP\nNONCE\nBODY\n".
  Response signed_response(int status, std::string body, std::int64_t timestamp = kNow) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    r.headers.set("Wechatpay-Timestamp", std::to_string(timestamp));
    r.headers.set("Wechatpay-Nonce", "c5ac7061fccab6bf3e254dcf98995b8c");
    r.headers.set("Wechatpay-Serial", kSerial);
    r.headers.set("Wechatpay-Signature",
                  crypto::rsa_sign_sha256(platform_, std::to_string(timestamp) +
                                                         "\nc5ac7061fccab6bf3e254dcf98995b8c\n" +
                                                         r.body + "\n"));
    r.headers.set("Request-ID", "08F78BB5AF0610D302839A2D06");
    return r;
  }

  void expect_rejected(const Response& response, const std::string& reason) {
    try {
      verify_response(*keys_, response, kNow);
      ADD_FAILURE() << "accepted a response that should fail: " << reason;
    } catch (const VerificationError& e) {
      EXPECT_NE(std::string(e.what()).find(reason), std::string::npos) << e.what();
      EXPECT_EQ(e.request_id(), "08F78BB5AF0610D302839A2D06");
      EXPECT_EQ(e.response().body, response.body);
    }
  }

  crypto::PrivateKey platform_;
  std::shared_ptr<crypto::KeyStore> keys_;
};

TEST_F(Verifier, AcceptsACorrectResponse) {
  EXPECT_NO_THROW(verify_response(*keys_, signed_response(200, R"({"token":"x"})"), kNow));
  EXPECT_NO_THROW(verify_response(*keys_, signed_response(204, ""), kNow));
}

TEST_F(Verifier, RejectsEachMissingHeader) {
  for (const char* header :
       {"Wechatpay-Timestamp", "Wechatpay-Nonce", "Wechatpay-Serial", "Wechatpay-Signature"}) {
    auto response = signed_response(200, "{}");
    response.headers.erase(header);
    expect_rejected(response, header);
  }
}

TEST_F(Verifier, EnforcesTheFiveMinuteWindowBothWays) {
  EXPECT_NO_THROW(verify_response(*keys_, signed_response(200, "{}", kNow - 300), kNow));
  EXPECT_NO_THROW(verify_response(*keys_, signed_response(200, "{}", kNow + 300), kNow));
  expect_rejected(signed_response(200, "{}", kNow - 301), "301 s");
  expect_rejected(signed_response(200, "{}", kNow + 301), "301 s");
}

// Found by the v3_verifier fuzzer: `now - timestamp` overflowed for timestamps near the int64
// limits (UB; the message printed a wrapped distance). The expected distances are kNow + 2^63
// and 2^63 - 1 - kNow.
TEST_F(Verifier, ExtremeTimestampsAreRejectedWithTheirTrueDistance) {
  auto response = signed_response(200, "{}");
  response.headers.set("Wechatpay-Timestamp", "-9223372036854775808");
  expect_rejected(response, " 9223372038554775808 s away");
  response.headers.set("Wechatpay-Timestamp", "9223372036854775807");
  expect_rejected(response, " 9223372035154775807 s away");
}

TEST_F(Verifier, RejectsAnUnknownSerial) {
  auto response = signed_response(200, "{}");
  response.headers.set("Wechatpay-Serial", "5157F09EFDC096DE15EBE81A47057A7232F1B8E1");
  expect_rejected(response, "not a known WeChat Pay key");
}

TEST_F(Verifier, RejectsOneFlippedBodyByte) {
  auto response = signed_response(200, R"({"amount":100})");
  response.body[10] ^= 0x01;
  expect_rejected(response, "does not verify");
}

TEST_F(Verifier, RejectsOneFlippedSignatureByte) {
  auto response = signed_response(200, R"({"amount":100})");
  auto signature = response.headers.value("Wechatpay-Signature");
  signature[5] = signature[5] == 'A' ? 'B' : 'A';
  response.headers.set("Wechatpay-Signature", signature);
  expect_rejected(response, "does not verify");
}

TEST_F(Verifier, RejectsGarbageTimestampAndForeignSignatureType) {
  auto response = signed_response(200, "{}");
  response.headers.set("Wechatpay-Timestamp", "17e8");
  expect_rejected(response, "not a number");
  response = signed_response(200, "{}");
  response.headers.set("Wechatpay-Signature-Type", "WECHATPAY2-SM2-WITH-SM3");
  expect_rejected(response, "Signature-Type");
  response.headers.set("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048");
  EXPECT_NO_THROW(verify_response(*keys_, response, kNow));
}

// Attacker-chosen header values reach what() printable and bounded: no forged log lines.
TEST_F(Verifier, HostileHeaderValuesAreNeitherEchoedRawNorUnbounded) {
  const std::string hostile =
      "X\r\n2024-01-01 INFO forged log line\x1b[31m" + std::string(5000, 'A');
  for (const char* header : {"Wechatpay-Serial", "Wechatpay-Signature-Type"}) {
    SCOPED_TRACE(header);
    auto response = signed_response(200, "{}");
    response.headers.set(header, hostile);
    try {
      verify_response(*keys_, response, kNow);
      ADD_FAILURE() << "accepted";
    } catch (const VerificationError& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.find_first_of("\r\n\x1b"), std::string::npos) << what;
      EXPECT_LT(what.size(), 400u);
      EXPECT_NE(what.find("X\\r\\n2024"), std::string::npos) << what;
    }
  }
}

TEST(ResponseSigningMessage, IsThreeLinesEachEndingInNewline) {
  EXPECT_EQ(response_signing_message("1554209980", "c5ac7061fccab6bf3e254dcf98995b8c", "{}"),
            "1554209980\nc5ac7061fccab6bf3e254dcf98995b8c\n{}\n");
  EXPECT_EQ(response_signing_message("1", "n", ""), "1\nn\n\n");
}

TEST(UnsignedDownloads, OnlyTheTwoDocumentedGets) {
  EXPECT_TRUE(is_unsigned_download("GET", "/v3/billdownload/file"));
  EXPECT_TRUE(is_unsigned_download("GET", "/hk/v3/billdownload/file"));
  EXPECT_TRUE(is_unsigned_download("GET", "/v3/merchant-service/images/ChsyMjAyMTA1MDc"));
  EXPECT_FALSE(is_unsigned_download("POST", "/v3/billdownload/file"));
  EXPECT_FALSE(is_unsigned_download("GET", "/v3/merchant-service/images/"));
  EXPECT_FALSE(is_unsigned_download("GET", "/v3/merchant-service/images/a/b"));
  EXPECT_FALSE(is_unsigned_download("GET", "/v3/bill/tradebill"));
}

// The v3 stack's response side: http_errors > verifier > (terminal answering `canned`).
class VerifierStack : public Verifier {
 protected:
  Response run(Response canned, std::string method = "GET",
               std::string url = "https://api.mch.weixin.qq.com/v3/certificates") {
    HandlerStack stack([canned](Request, Completion done) { done(nullptr, canned); });
    stack.push(http_errors(), "http_errors");
    stack.push(verifier(keys_, [] { return kNow; }), "verifier");
    Request request;
    request.method = std::move(method);
    request.url = std::move(url);
    Response out;
    std::exception_ptr failure;
    (*stack.resolve())(request, [&](std::exception_ptr error, Response response) {
      failure = error;
      out = std::move(response);
    });
    if (failure) std::rethrow_exception(failure);
    return out;
  }
};

TEST_F(VerifierStack, VerifiedSuccessIsMarked) {
  EXPECT_TRUE(run(signed_response(200, "{}")).verified);
}

TEST_F(VerifierStack, UnsignedSuccessIsAVerificationError) {
  Response unsigned_ok;
  unsigned_ok.status = 200;
  unsigned_ok.body = "{}";
  EXPECT_THROW(run(unsigned_ok), VerificationError);
}

TEST_F(VerifierStack, SignedErrorBecomesApiErrorWithItsFields) {
  auto response = signed_response(
      400, R"({"code":"PARAM_ERROR","message":"缺少参数 openid","detail":{"field":"openid"}})");
  try {
    run(response, "POST");
    FAIL() << "expected ApiError";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_EQ(e.code(), "PARAM_ERROR");
    EXPECT_EQ(e.message(), "缺少参数 openid");
    EXPECT_EQ(e.detail(), R"({"field":"openid"})");
    EXPECT_EQ(e.request_id(), "08F78BB5AF0610D302839A2D06");
    EXPECT_NE(std::string(e.what()).find("PARAM_ERROR"), std::string::npos);
  }
}

TEST_F(VerifierStack, TamperedSignedErrorIsAVerificationError) {
  auto response = signed_response(400, R"({"code":"PARAM_ERROR","message":"x"})");
  response.body[3] ^= 0x01;
  EXPECT_THROW(run(response), VerificationError);
}

TEST_F(VerifierStack, UnsignedErrorStillBecomesApiError) {
  Response bad_gateway;
  bad_gateway.status = 502;
  bad_gateway.body = "<html>Bad Gateway</html>";
  try {
    run(bad_gateway);
    FAIL() << "expected ApiError";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 502);
    EXPECT_EQ(e.code(), "");
    EXPECT_FALSE(e.response().verified);
  }
}

// A signed answer streamed to a file is checked over the file's bytes; a file that fails is
// removed. A consumer (on_body) would see bytes before any check: refused where WeChat Pay signs.
class StreamedVerifierStack : public Verifier {
 protected:
  // The terminal writes `answer.body` to the sink (as the transport does) and answers without it.
  std::exception_ptr run(const Response& answer, Options options,
                         std::string url = "https://h/v3/statements?date=1") {
    HandlerStack stack([answer, this](Request request, Completion done) {
      reached_transport_ = true;
      if (request.transfer.sink) std::ofstream(*request.transfer.sink) << answer.body;
      Response streamed = answer;
      streamed.body.clear();
      done(nullptr, streamed);
    });
    stack.push(http_errors(), "http_errors");
    stack.push(verifier(keys_, [] { return kNow; }), "verifier");
    Request request;
    request.method = "GET";
    request.url = std::move(url);
    request.transfer.sink = options.sink;
    request.transfer.on_body = options.on_body;
    request.options = std::make_shared<const Options>(std::move(options));
    std::exception_ptr failure;
    (*stack.resolve())(request, [&](std::exception_ptr error, Response response) {
      failure = error;
      verified_ = response.verified;
    });
    return failure;
  }
  test::TempDir dir_;
  const std::string file_ = dir_ / "statement.csv";
  bool reached_transport_ = false;
  bool verified_ = false;
};

TEST_F(StreamedVerifierStack, ASinkIsVerifiedOverTheFilesBytes) {
  EXPECT_FALSE(run(signed_response(200, "a,b\n1,2\n"), {.sink = file_}));
  EXPECT_TRUE(verified_);
  EXPECT_TRUE(std::filesystem::exists(file_));
}

TEST_F(StreamedVerifierStack, ASinkThatFailsVerificationIsRemoved) {
  auto forged = signed_response(200, "a,b\n1,2\n");
  forged.body = "a,b\n9,9\n";
  auto error = run(forged, {.sink = file_});
  ASSERT_TRUE(error);
  EXPECT_THROW(std::rethrow_exception(error), VerificationError);
  EXPECT_FALSE(std::filesystem::exists(file_));
}

TEST_F(StreamedVerifierStack, OnBodyIsRefusedWhereWeChatPaySigns) {
  bool consumed = false;
  auto error = run(signed_response(200, "a,b\n"),
                   {.on_body = [&](std::string_view, std::int64_t) { consumed = true; }});
  ASSERT_TRUE(error);
  try {
    std::rethrow_exception(error);
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.field(), "on_body");
  }
  EXPECT_FALSE(reached_transport_);
  EXPECT_FALSE(consumed);
  // The unsigned downloads keep it.
  Response csv;
  csv.status = 200;
  csv.body = "x";
  EXPECT_FALSE(run(csv, {.on_body = [](std::string_view, std::int64_t) {}},
                   "https://h/v3/billdownload/file?token=x"));
}

TEST_F(VerifierStack, BillDownloadPassesUnverified) {
  Response csv;
  csv.status = 200;
  csv.body = "交易时间,公众账号ID\n";
  auto out = run(csv, "GET", "https://api.mch.weixin.qq.com/v3/billdownload/file?token=x");
  EXPECT_FALSE(out.verified);
  EXPECT_EQ(out.body, csv.body);
}

}  // namespace
}  // namespace wechatpay::v3
