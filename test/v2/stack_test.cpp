// The v2 stack through a HandlerStack whose terminal handler captures the request and answers
// a canned response: no network.
#include "wechatpay/v2/stack.hpp"

#include <gtest/gtest.h>

#include "v2/openssl_sign.hpp"
#include "wechatpay/errors.hpp"
#include "wechatpay/v2/media.hpp"
#include "wechatpay/v2/xml.hpp"

namespace wechatpay::v2 {
namespace {

namespace cli = wechatpay::crypto::testing;
using testing::kDocMd5Sign;
using testing::kDocSecret;
using testing::kDocStringA;

constexpr const char* kBase = "https://api.mch.weixin.qq.com/";

class V2StackTest : public ::testing::Test {
 protected:
  V2StackTest() {
    settings_->mchid = "10000100";
    settings_->secret = kDocSecret;
    stack_.set_handler([this](Request request, Completion done) {
      ++sent_;
      captured_ = request;
      done(nullptr, answer_);
    });
    install(stack_, settings_);
  }

  Response send(std::string path, Options options, std::string method = "POST") {
    Request request;
    request.method = std::move(method);
    request.url = (options.base_uri ? *options.base_uri : std::string(kBase)) + path;
    if (options.body) {  // as the chain does
      request.body = options.body->bytes;
      request.headers.set("Content-Type", options.body->content_type);
    }
    request.options = std::make_shared<const Options>(std::move(options));
    Response out;
    std::exception_ptr failure;
    (*stack_.resolve())(std::move(request), [&](std::exception_ptr error, Response response) {
      failure = error;
      out = std::move(response);
    });
    if (failure) std::rethrow_exception(failure);
    return out;
  }

  void answer(std::string body, int status = 200) {
    answer_.status = status;
    answer_.body = std::move(body);
  }

  static Json doc_payload() {
    return {{"appid", "wxd930ea5d5a258f4f"},
            {"mch_id", "10000100"},
            {"device_info", 1000},
            {"body", "test"},
            {"nonce_str", "ibuaiVcKdpRxkhJA"}};
  }

  std::shared_ptr<Settings> settings_ = std::make_shared<Settings>();
  HandlerStack stack_;
  Request captured_;
  Response answer_;
  int sent_ = 0;
};

// A signed SUCCESS answer; sign by the CLI.
std::string signed_success() {
  const std::string fields =
      "appid=wxd930ea5d5a258f4f&mch_id=10000100&nonce_str=IITRi8Iabbblz1Jc&openid=oUpF8uMuAJO"
      "&result_code=SUCCESS&return_code=SUCCESS&return_msg=OK";
  return "<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg>OK</return_msg>"
         "<appid>wxd930ea5d5a258f4f</appid><mch_id>10000100</mch_id>"
         "<nonce_str>IITRi8Iabbblz1Jc</nonce_str><openid>oUpF8uMuAJO</openid>"
         "<result_code>SUCCESS</result_code><sign>" +
         testing::openssl_md5(fields + "&key=" + kDocSecret) + "</sign></xml>";
}

TEST_F(V2StackTest, InstallsNamedEntriesInOrder) {
  EXPECT_EQ(stack_.names(),
            (std::vector<std::string>{"transform_response", "http_errors", "transform_request"}));
}

TEST_F(V2StackTest, BuildsTheDocumentedSignedBody) {
  answer(signed_success());
  send("tools/authcodetoopenid", {.xml = doc_payload()});
  EXPECT_EQ(
      captured_.body,
      "<xml><appid>wxd930ea5d5a258f4f</appid><mch_id>10000100</mch_id>"
      "<device_info>1000</device_info><body>test</body><nonce_str>ibuaiVcKdpRxkhJA</nonce_str>"
      "<sign>" +
          kDocMd5Sign + "</sign></xml>");
  EXPECT_EQ(captured_.headers.value("Content-Type"), "text/xml; charset=utf-8");
  EXPECT_NE(captured_.headers.value("Accept").find("text/xml"), std::string::npos);
  EXPECT_EQ(captured_.url, std::string(kBase) + "tools/authcodetoopenid");
  EXPECT_TRUE(captured_.transfer.client_cert.empty());
}

TEST_F(V2StackTest, RecomputesAGivenSign) {
  answer(signed_success());
  Json payload = doc_payload();
  payload.set("sign", "FORGED");
  send("tools/authcodetoopenid", {.xml = payload});
  EXPECT_EQ(parse_xml(captured_.body).at("sign"), kDocMd5Sign);
}

TEST_F(V2StackTest, HmacSha256Body) {
  answer(signed_success());
  Json payload = doc_payload();
  payload.set("sign_type", "HMAC-SHA256");
  send("pay/orderquery", {.xml = payload});
  const XmlFields sent = parse_xml(captured_.body);
  EXPECT_EQ(sent.at("sign"),
            testing::openssl_hmac_sha256(kDocSecret,
                                         kDocStringA + "&sign_type=HMAC-SHA256&key=" + kDocSecret));
}

TEST_F(V2StackTest, FillsNonceUnlessPresentOrNonceless) {
  answer(signed_success());
  send("pay/orderquery", {.xml = {{"mch_id", "10000100"}, {"out_trade_no", "T1"}}});
  const XmlFields sent = parse_xml(captured_.body);
  const std::string nonce = sent.at("nonce_str");
  ASSERT_EQ(nonce.size(), 32u);
  for (char c : nonce) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << nonce;
  EXPECT_EQ(sent.at("sign"), testing::openssl_md5("mch_id=10000100&nonce_str=" + nonce +
                                                  "&out_trade_no=T1&key=" + kDocSecret));

  send("pay/orderquery", {.xml = {{"mch_id", "10000100"}, {"out_trade_no", "T1"}}});
  EXPECT_NE(parse_xml(captured_.body).at("nonce_str"), nonce);

  send("papay/querycontract",
       {.xml = {{"mch_id", "10000100"}, {"contract_id", "C1"}}, .nonceless = true});
  EXPECT_EQ(captured_.body,
            "<xml><mch_id>10000100</mch_id><contract_id>C1</contract_id><sign>" +
                testing::openssl_md5("contract_id=C1&mch_id=10000100&key=" + kDocSecret) +
                "</sign></xml>");
}

TEST_F(V2StackTest, MchidGuardStopsBeforeSending) {
  auto expect_guard = [&](Json payload) {
    try {
      send("pay/orderquery", {.xml = std::move(payload)});
      ADD_FAILURE() << "not refused";
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.field(), "mchid");
    }
  };
  expect_guard({{"mch_id", "1900000109"}});
  expect_guard({{"appid", "wx1"}});  // no merchant ID at all
  expect_guard({{"mchid", "10000101"}});
  EXPECT_EQ(sent_, 0);

  answer(signed_success());
  send("pay/querycombinedorder", {.xml = {{"combine_mch_id", "10000100"}}});
  send("pay/orderquery", {.xml = {{"mchid", "10000100"}}});
  EXPECT_EQ(sent_, 2);
}

TEST_F(V2StackTest, NoGuardWithoutClientMchid) {
  settings_->mchid.clear();
  answer(signed_success());
  send("pay/orderquery", {.xml = {{"mch_id", "1900000109"}}});
  EXPECT_EQ(sent_, 1);
}

TEST_F(V2StackTest, UnsupportedSignTypeIsRefused) {
  Json payload = doc_payload();
  payload.set("sign_type", "SHA256");
  try {
    send("pay/orderquery", {.xml = payload});
    FAIL() << "sent";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.field(), "sign_type");
  }
  EXPECT_EQ(sent_, 0);
}

TEST_F(V2StackTest, MissingSecretIsAConfigError) {
  settings_->secret.clear();
  EXPECT_THROW(send("pay/orderquery", {.xml = doc_payload()}), ConfigError);
  EXPECT_EQ(sent_, 0);
}

TEST_F(V2StackTest, GetSendsTheSignedQuery) {
  answer("<xml><return_code>SUCCESS</return_code><access_token>T</access_token></xml>");
  send("appauth/getaccesstoken",
       {.query =
            {{"mch_id", "10000100"}, {"scope", "pay identity"}, {"sign", "OLD"}, {"name", "中"}},
        .nonceless = true},
       "GET");
  const std::string sign =
      testing::openssl_md5("mch_id=10000100&name=中&scope=pay identity&key=" + kDocSecret);
  EXPECT_EQ(captured_.url, std::string(kBase) +
                               "appauth/getaccesstoken?mch_id=10000100&scope=pay%20identity"
                               "&sign=" +
                               sign + "&name=%E4%B8%AD");
  EXPECT_TRUE(captured_.body.empty());
}

TEST_F(V2StackTest, SecurityUsesTheMerchantCertificate) {
  answer(signed_success());
  EXPECT_THROW(
      {
        try {
          send("secapi/pay/refund", {.xml = doc_payload(), .security = true});
        } catch (const ConfigError& e) {
          EXPECT_EQ(e.field(), "merchant_cert");
          throw;
        }
      },
      ConfigError);
  EXPECT_EQ(sent_, 0);

  settings_->merchant_cert = "/path/apiclient_cert.pem";
  settings_->merchant_key = "/path/apiclient_key.pem";
  settings_->merchant_key_passphrase = "pass";
  send("secapi/pay/refund", {.xml = doc_payload(), .security = true});
  EXPECT_EQ(captured_.transfer.client_cert, "/path/apiclient_cert.pem");
  EXPECT_EQ(captured_.transfer.client_key, "/path/apiclient_key.pem");
  EXPECT_EQ(captured_.transfer.client_key_passphrase, "pass");
}

TEST_F(V2StackTest, RawBodyPassesUntouched) {
  answer(signed_success());
  send("secapi/mch/uploadmedia", {.body = Body{"--boundary--", "multipart/form-data"}});
  EXPECT_EQ(captured_.body, "--boundary--");
  EXPECT_EQ(captured_.headers.value("Content-Type"), "multipart/form-data");
}

// secapi/mch/uploadmedia (v2/media.hpp): the fields signed as any payload, sent as the form's
// text parts, then the file. Expected values from the openssl CLI (the fields in byte order,
// mch_id before media_hash, as the PHP SDK's example writes them):
//   printf 'id card image bytes' | openssl dgst -md5
//   printf 'mch_id=10000100&media_hash=7d6f…fd8c&sign_type=HMAC-SHA256&key=1920…6a2d' |
//     openssl dgst -sha256 -hmac 192006250b4c09247ec02edce69f6a2d
//   printf 'mch_id=10000100&media_hash=7d6f…fd8c&sign_type=MD5&key=1920…6a2d' | openssl dgst -md5
constexpr const char* kMediaMd5 = "7d6f24f6fd8b4296512823097e23fd8c";
constexpr const char* kMediaHmacSign =
    "A652EEE80D3AB68F458CA9E70AF0630E50681DF7F84201FD945C36D061C9C550";
constexpr const char* kMediaMd5Sign = "E928DFF5E8F8D7A92A3E3165C5F6FE75";

std::string form_boundary(const Request& request) {
  const std::string type = request.headers.value("Content-Type");
  const std::string prefix = "multipart/form-data; boundary=";
  return type.starts_with(prefix) ? type.substr(prefix.size()) : std::string();
}

std::string text_part(const std::string& boundary, const std::string& name,
                      const std::string& value) {
  return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" +
         value + "\r\n";
}

TEST_F(V2StackTest, FormFileIsSentAsASignedMultipartForm) {
  answer(signed_success());
  settings_->merchant_cert = "/path/apiclient_cert.pem";
  settings_->merchant_key = "/path/apiclient_key.pem";
  send("secapi/mch/uploadmedia", media_upload_options("10000100", "id.jpg", "id card image bytes"));
  const std::string boundary = form_boundary(captured_);
  ASSERT_GE(boundary.size(), 30u) << captured_.headers.value("Content-Type");
  EXPECT_EQ(captured_.body,
            text_part(boundary, "mch_id", "10000100") +
                text_part(boundary, "media_hash", kMediaMd5) +
                text_part(boundary, "sign_type", "HMAC-SHA256") +
                text_part(boundary, "sign", kMediaHmacSign) + "--" + boundary +
                "\r\nContent-Disposition: form-data; name=\"media\"; filename=\"id.jpg\"\r\n"
                "Content-Type: image/jpeg\r\n\r\nid card image bytes\r\n--" +
                boundary + "--\r\n");
  EXPECT_EQ(captured_.transfer.client_cert, "/path/apiclient_cert.pem");

  send("secapi/mch/uploadmedia",
       media_upload_options("10000100", "id.jpg", "id card image bytes", SignType::kMd5));
  EXPECT_NE(captured_.body.find(text_part(form_boundary(captured_), "sign", kMediaMd5Sign)),
            std::string::npos);
}

TEST_F(V2StackTest, FormFileKeepsTheGuardsOfAnyPayload) {
  settings_->merchant_cert = "/path/apiclient_cert.pem";
  settings_->merchant_key = "/path/apiclient_key.pem";
  // Another merchant's id, a part name or file name that would break its header, a GET.
  EXPECT_THROW(send("secapi/mch/uploadmedia", media_upload_options("10000101", "a.png", "x")),
               ConfigError);
  Options quoted = media_upload_options("10000100", "a.png", "x");
  quoted.form_file->filename = "a\".png";
  EXPECT_THROW(send("secapi/mch/uploadmedia", std::move(quoted)), ConfigError);
  Options unnamed = media_upload_options("10000100", "a.png", "x");
  unnamed.form_file->filename.clear();  // it would go as a text part
  EXPECT_THROW(send("secapi/mch/uploadmedia", std::move(unnamed)), ConfigError);
  Options named = media_upload_options("10000100", "a.png", "x");
  named.form_file->name = "me\r\ndia";
  EXPECT_THROW(send("secapi/mch/uploadmedia", std::move(named)), ConfigError);
  EXPECT_THROW(
      send("secapi/mch/uploadmedia", media_upload_options("10000100", "a.png", "x"), "GET"),
      ConfigError);
  EXPECT_EQ(sent_, 0);
  // Without the merchant certificate, as any `security` request.
  settings_->merchant_cert.clear();
  EXPECT_THROW(send("secapi/mch/uploadmedia", media_upload_options("10000100", "a.png", "x")),
               ConfigError);
  EXPECT_EQ(sent_, 0);
}

TEST_F(V2StackTest, SignedSuccessIsVerified) {
  answer(signed_success());
  const Response response = send("tools/authcodetoopenid", {.xml = doc_payload()});
  EXPECT_TRUE(response.verified);
  EXPECT_EQ(xml(response).at("openid"), "oUpF8uMuAJO");
}

TEST_F(V2StackTest, TamperedOrUnsignedAnswerIsAVerificationError) {
  std::string tampered = signed_success();
  tampered.replace(tampered.find("oUpF8uMuAJO"), 11, "oEvil000000");
  answer(tampered);
  EXPECT_THROW(send("tools/authcodetoopenid", {.xml = doc_payload()}), VerificationError);
  answer("<xml><return_code>SUCCESS</return_code><result_code>SUCCESS</result_code></xml>");
  EXPECT_THROW(send("tools/authcodetoopenid", {.xml = doc_payload()}), VerificationError);
}

TEST_F(V2StackTest, ReturnCodeFailIsAnApiError) {
  answer(
      "<xml><return_code><![CDATA[FAIL]]></return_code>"
      "<return_msg><![CDATA[签名错误]]></return_msg></xml>");
  try {
    send("tools/authcodetoopenid", {.xml = doc_payload()});
    FAIL() << "accepted";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "FAIL");
    EXPECT_EQ(e.message(), "签名错误");
    EXPECT_EQ(xml(e.response()).at("return_msg"), "签名错误");
  }
}

TEST_F(V2StackTest, ResultCodeFailIsAnApiErrorWithEveryField) {
  const std::string fields =
      "err_code=AUTHCODEEXPIRE&err_code_des=二维码已过期&mch_id=10000100&nonce_str=n1"
      "&result_code=FAIL&return_code=SUCCESS";
  answer(
      "<xml><return_code>SUCCESS</return_code><result_code>FAIL</result_code>"
      "<err_code>AUTHCODEEXPIRE</err_code><err_code_des>二维码已过期</err_code_des>"
      "<mch_id>10000100</mch_id><nonce_str>n1</nonce_str><sign>" +
      testing::openssl_md5(fields + "&key=" + kDocSecret) + "</sign></xml>");
  try {
    send("tools/authcodetoopenid", {.xml = doc_payload()});
    FAIL() << "accepted";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "AUTHCODEEXPIRE");
    EXPECT_EQ(e.message(), "二维码已过期");
    EXPECT_EQ(xml(e.response()).at("nonce_str"), "n1");
  }
  // The same FAIL with a wrong sign: forged, so a VerificationError.
  answer(
      "<xml><return_code>SUCCESS</return_code><result_code>FAIL</result_code>"
      "<err_code>X</err_code><sign>0123456789ABCDEF0123456789ABCDEF</sign></xml>");
  EXPECT_THROW(send("tools/authcodetoopenid", {.xml = doc_payload()}), VerificationError);
}

TEST_F(V2StackTest, SignlessEndpointsPassUnverified) {
  answer(
      "<xml><return_code>SUCCESS</return_code><result_code>SUCCESS</result_code>"
      "<send_listid>100000000020150520314766074200</send_listid></xml>");
  for (const char* path : {"mmpaymkttransfers/sendredpack", "mmpaymkttransfers/promotion/transfers",
                           "mmpaysptrans/pay_bank", "risk/getpublickey", "secapi/mch/submchmanage",
                           "sandboxnew/pay/getsignkey", "mchrisk/querymchrisk"}) {
    const Response response = send(path, {.xml = doc_payload()});
    EXPECT_FALSE(response.verified) << path;
  }
  // Matched after the base_uri, also when the base has a path of its own.
  const Response response =
      send("mmpaymkttransfers/sendredpack",
           {.base_uri = "https://apihk.mch.weixin.qq.com/hk/", .xml = doc_payload()});
  EXPECT_FALSE(response.verified);
  // ...and only there: an unsigned answer elsewhere still fails.
  EXPECT_THROW(send("hk/pay/orderquery", {.xml = doc_payload()}), VerificationError);
  EXPECT_THROW(send("x/mmpaymkttransfers/sendredpack", {.xml = doc_payload()}), VerificationError);
}

TEST_F(V2StackTest, SignlessFailIsStillAnApiError) {
  answer(
      "<xml><return_code>SUCCESS</return_code><result_code>FAIL</result_code>"
      "<err_code>NOTENOUGH</err_code><err_code_des>余额不足</err_code_des></xml>");
  try {
    send("mmpaymkttransfers/promotion/transfers", {
                                                      .xml = doc_payload(),
                                                  });
    FAIL() << "accepted";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "NOTENOUGH");
  }
}

// v2/appauth/getaccesstoken answers JSON (documented), unsigned.
TEST_F(V2StackTest, GetAccessTokenAnswersJson) {
  const Options query{.query = {{"mch_id", "10000100"},
                                {"appid", "wxd930ea5d5a258f4f"},
                                {"openid", "o"},
                                {"code", "c"},
                                {"grant_type", "authorization_code"},
                                {"scope", "pay_identity"}}};
  const std::string ok =
      R"({"retcode":0,"retmsg":"ok","access_token":"T","access_token_expire_in":7200,)"
      R"("refresh_token":"R","refresh_token_expire_in":86400})";
  answer(ok);
  const Response response = send("appauth/getaccesstoken", query, "GET");
  EXPECT_EQ(response.body, ok);
  EXPECT_FALSE(response.verified);
  EXPECT_EQ(response.json()["access_token"].as<std::string>(), "T");

  answer(R"({"retcode":-1,"retmsg":"invalid code"})");
  try {
    send("appauth/getaccesstoken", query, "GET");
    FAIL() << "accepted";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "-1");
    EXPECT_EQ(e.message(), "invalid code");
  }
  answer(std::string(100'000, '['));
  EXPECT_THROW(send("appauth/getaccesstoken", query, "GET"), Error);
  answer("{}");
  EXPECT_THROW(send("appauth/getaccesstoken", query, "GET"), ApiError) << "no retcode";
}

TEST_F(V2StackTest, BillsPassThroughAndXmlFailIsAnApiError) {
  const std::string csv = "交易时间,公众账号ID,商户号\n`2014-11-10 16:33:45,`wx2421b1c4370ec43b\n";
  answer(csv);
  EXPECT_EQ(send("pay/downloadbill", {.xml = doc_payload()}).body, csv);
  answer(std::string("\x1f\x8b\x08\x00gzip", 8));
  EXPECT_EQ(send("pay/downloadfundflow", {.xml = doc_payload()}).body.size(), 8u);
  answer(
      "<xml><return_code><![CDATA[FAIL]]></return_code>"
      "<return_msg><![CDATA[No Bill Exist]]></return_msg><error_code>20002</error_code></xml>");
  try {
    send("pay/downloadbill", {.xml = doc_payload()});
    FAIL() << "accepted";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.message(), "No Bill Exist");
  }
  // CSV from an ordinary endpoint is not XML: an XmlError, not a pass.
  answer(csv);
  EXPECT_THROW(send("pay/orderquery", {.xml = doc_payload()}), XmlError);
}

TEST_F(V2StackTest, SinkedBodiesPassAndSinkedFailIsAnApiError) {
  cli::TempDir dir;
  const std::string file = dir / "bill.csv";
  answer("");
  cli::write_file(file, "交易时间,公众账号ID\n");
  EXPECT_NO_THROW(send("pay/downloadbill", {.xml = doc_payload(), .sink = file}));
  cli::write_file(
      file, "<xml><return_code>FAIL</return_code><return_msg>No Bill Exist</return_msg></xml>");
  EXPECT_THROW(send("pay/downloadbill", {.xml = doc_payload(), .sink = file}), ApiError);
}

TEST_F(V2StackTest, OnBodyIsRefusedWhereTheAnswerIsSigned) {
  answer(signed_success());
  bool consumed = false;
  try {
    send("pay/orderquery", {.xml = doc_payload(),
                            .on_body = [&](std::string_view, std::int64_t) { consumed = true; }});
    FAIL() << "accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.field(), "on_body");
  }
  EXPECT_EQ(sent_, 0);
  EXPECT_FALSE(consumed);
  answer("交易时间\n");
  EXPECT_NO_THROW(send("pay/downloadbill",
                       {.xml = doc_payload(), .on_body = [](std::string_view, std::int64_t) {}}));
}

TEST_F(V2StackTest, HttpErrorsCarryStatusAndMessage) {
  answer("<html><head><title>404 Not Found</title></head><body>nginx</body></html>", 404);
  try {
    send("pay/orderquery", {.xml = doc_payload()});
    FAIL() << "accepted";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 404);
    EXPECT_EQ(e.code(), "Not Found");
    EXPECT_EQ(e.message(), "");
  }
  answer("<xml><return_code>FAIL</return_code><return_msg>system busy</return_msg></xml>", 503);
  try {
    send("pay/orderquery", {.xml = doc_payload()});
    FAIL() << "accepted";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "Service Unavailable");
    EXPECT_EQ(e.message(), "system busy");
  }
}

TEST_F(V2StackTest, NonSuccessJsonErrorsKeepTheirCode) {
  // Some APIv2 hosts answer errors as APIv3 does, in JSON.
  answer(R"({"code":"SIGN_ERROR","message":"签名错误"})", 401);
  try {
    send("pay/orderquery", {.xml = doc_payload()});
    FAIL() << "accepted";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 401);
    EXPECT_EQ(e.code(), "SIGN_ERROR");
    EXPECT_EQ(e.message(), "签名错误");
  }
  // JSON without a code: the status says what happened.
  answer(R"({"detail":"x"})", 502);
  try {
    send("pay/orderquery", {.xml = doc_payload()});
    FAIL() << "accepted";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "Bad Gateway");
  }
}

TEST_F(V2StackTest, MalformedAnswersAreXmlErrors) {
  for (const char* body :
       {"", "<xml><return_code>SUCCESS", "<!DOCTYPE x [<!ENTITY a \"b\">]><xml/>",
        "{\"code\":\"SYSTEM_ERROR\"}"}) {
    answer(body);
    EXPECT_THROW(send("pay/orderquery", {.xml = doc_payload()}), XmlError) << body;
  }
}

TEST_F(V2StackTest, SecretNeverInErrorMessages) {
  answer(
      "<xml><return_code>SUCCESS</return_code><result_code>SUCCESS</result_code>"
      "<sign>ABC</sign></xml>");
  try {
    send("pay/orderquery", {.xml = doc_payload()});
  } catch (const std::exception& e) {
    EXPECT_EQ(std::string(e.what()).find(kDocSecret), std::string::npos);
  }
}

}  // namespace
}  // namespace wechatpay::v2
