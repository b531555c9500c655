#include "wechatpay/v2/notification.hpp"

#include <gtest/gtest.h>

#include "v2/openssl_sign.hpp"
#include "wechatpay/errors.hpp"
#include "wechatpay/v2/signature.hpp"
#include "wechatpay/v2/xml.hpp"

namespace wechatpay::v2 {
namespace {

namespace cli = wechatpay::crypto::testing;

const std::string kSecret = testing::kDocSecret;

// A payment notification; the sign comes from the CLI over the documented string-to-sign.
std::string paid_notification(const std::string& sign, const std::string& extra = "") {
  return "<xml><appid><![CDATA[wx2421b1c4370ec43b]]></appid><mch_id>10000100</mch_id>"
         "<nonce_str>5d2b6c2a8db53831f7eda20af46e531c</nonce_str>"
         "<result_code>SUCCESS</result_code><return_code>SUCCESS</return_code>"
         "<total_fee>1</total_fee><transaction_id>1004400740201409030005092168</transaction_id>" +
         extra + "<sign>" + sign + "</sign></xml>";
}
const std::string kPaidString =
    "appid=wx2421b1c4370ec43b&mch_id=10000100&nonce_str=5d2b6c2a8db53831f7eda20af46e531c"
    "&result_code=SUCCESS&return_code=SUCCESS&total_fee=1"
    "&transaction_id=1004400740201409030005092168";

TEST(V2NotificationTest, VerifiesMd5ByDefault) {
  const std::string body = paid_notification(testing::openssl_md5(kPaidString + "&key=" + kSecret));
  const XmlFields fields = parse_notification(body, kSecret);
  EXPECT_EQ(fields.at("transaction_id"), "1004400740201409030005092168");
  EXPECT_EQ(fields.at("appid"), "wx2421b1c4370ec43b");
}

TEST(V2NotificationTest, HonoursSignType) {
  // sign_type sorts between return_code and total_fee.
  std::string signed_string = kPaidString;
  signed_string.insert(signed_string.find("&total_fee"), "&sign_type=HMAC-SHA256");
  const std::string sign = testing::openssl_hmac_sha256(kSecret, signed_string + "&key=" + kSecret);
  const std::string body = paid_notification(sign, "<sign_type>HMAC-SHA256</sign_type>");
  EXPECT_NO_THROW((void)parse_notification(body, kSecret));
  // Claiming MD5 over an HMAC sign fails, whatever the sign's length says.
  const std::string md5_claim = paid_notification(sign, "<sign_type>MD5</sign_type>");
  EXPECT_THROW((void)parse_notification(md5_claim, kSecret), VerificationError);
  const std::string unknown = paid_notification(sign, "<sign_type>SHA1</sign_type>");
  EXPECT_THROW((void)parse_notification(unknown, kSecret), VerificationError);
}

TEST(V2NotificationTest, RejectsTamperedMissingOrWrongKey) {
  const std::string sign = testing::openssl_md5(kPaidString + "&key=" + kSecret);
  std::string tampered = paid_notification(sign);
  tampered.replace(tampered.find("<total_fee>1<"), 13, "<total_fee>9<");
  EXPECT_THROW((void)parse_notification(tampered, kSecret), VerificationError);
  EXPECT_THROW((void)parse_notification(paid_notification(sign), kSecret + "x"), VerificationError);
  const std::string unsigned_body =
      "<xml><return_code>SUCCESS</return_code><result_code>SUCCESS</result_code></xml>";
  EXPECT_THROW((void)parse_notification(unsigned_body, kSecret), VerificationError);
  try {
    (void)parse_notification(tampered, kSecret);
  } catch (const VerificationError& e) {
    EXPECT_EQ(e.response().body, tampered);
    EXPECT_EQ(std::string(e.what()).find(kSecret), std::string::npos);
  }
}

TEST(V2NotificationTest, FailIsApiErrorAndMalformedIsXmlError) {
  try {
    (void)parse_notification(
        "<xml><return_code>FAIL</return_code><return_msg>SIGNERROR</return_msg></xml>", kSecret);
    FAIL() << "FAIL accepted";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "FAIL");
    EXPECT_EQ(e.message(), "SIGNERROR");
  }
  EXPECT_THROW((void)parse_notification("<xml><return_code>SUCCESS", kSecret), XmlError);
  EXPECT_THROW((void)parse_notification("", kSecret), XmlError);
}

// Payscore's and papay's notifications are documented without return_code: the sign decides.
TEST(V2NotificationTest, WithoutReturnCodeTheSignDecides) {
  const XmlFields event = {{"mch_id", "1900000109"}, {"event_type", "CHECK.SUCCESS"}};
  XmlFields signed_event = event;
  signed_event.add("sign", sign(event, kSecret, SignType::kMd5));
  EXPECT_EQ(parse_notification(to_xml(signed_event), kSecret).value("event_type"), "CHECK.SUCCESS");
  EXPECT_THROW((void)parse_notification(to_xml(event), kSecret), VerificationError);
  XmlFields failed = event;
  failed.add("result_code", "FAIL");
  failed.add("sign", sign(failed, kSecret, SignType::kMd5));
  EXPECT_THROW((void)parse_notification(to_xml(failed), kSecret), ApiError);
}

TEST(V2NotificationTest, Acknowledgements) {
  EXPECT_EQ(acknowledgement(),
            "<xml><return_code><![CDATA[SUCCESS]]></return_code>"
            "<return_msg><![CDATA[OK]]></return_msg></xml>");
  EXPECT_EQ(failure_acknowledgement("bad sign"),
            "<xml><return_code><![CDATA[FAIL]]></return_code>"
            "<return_msg><![CDATA[bad sign]]></return_msg></xml>");
  EXPECT_EQ(parse_xml(failure_acknowledgement("x]]>y")).at("return_msg"), "x]]>y");
}

// req_info as WeChat Pay sends it, made by the CLI: AES-256-ECB keyed with md5hex(secret).
std::string cli_req_info(const std::string& plain, const std::string& secret) {
  cli::TempDir dir;
  cli::write_file(dir / "secret.txt", secret);
  const std::string key = cli::dgst_value(cli::openssl("dgst -md5 " + (dir / "secret.txt")));
  std::string key_hex;
  char buffer[3];
  for (unsigned char c : key) {
    std::snprintf(buffer, sizeof buffer, "%02x", c);
    key_hex += buffer;
  }
  cli::write_file(dir / "plain.txt", plain);
  std::string out =
      cli::openssl("enc -aes-256-ecb -K " + key_hex + " -base64 -A -in " + (dir / "plain.txt"));
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

const std::string kRefundPlain =
    "<root>\n<out_refund_no><![CDATA[131811191610442717309]]></out_refund_no>\n"
    "<out_trade_no><![CDATA[71106718111915575302817]]></out_trade_no>\n"
    "<refund_status><![CDATA[SUCCESS]]></refund_status>\n<refund_fee><![CDATA[3960]]></"
    "refund_fee>\n"
    "</root>";

std::string refund_body(const std::string& req_info) {
  return "<xml><return_code>SUCCESS</return_code><appid><![CDATA[wx2421b1c4370ec43b]]></appid>"
         "<mch_id><![CDATA[10000100]]></mch_id><nonce_str><![CDATA[TeqClE3i0mvn3DrK]]></nonce_str>"
         "<req_info><![CDATA[" +
         req_info + "]]></req_info></xml>";
}

TEST(V2NotificationTest, RefundReqInfoFromCli) {
  const auto notification =
      parse_refund_notification(refund_body(cli_req_info(kRefundPlain, kSecret)), kSecret);
  EXPECT_EQ(notification.envelope.at("mch_id"), "10000100");
  EXPECT_EQ(notification.refund.at("out_refund_no"), "131811191610442717309");
  EXPECT_EQ(notification.refund.at("refund_status"), "SUCCESS");
  EXPECT_EQ(notification.refund.at("refund_fee"), "3960");
}

TEST(V2NotificationTest, RefundReqInfoRoundTrip) {
  const XmlFields refund{{"out_refund_no", "R1"}, {"refund_recv_accout", "招商银行信用卡0403"}};
  const std::string req_info = encrypt_req_info(refund, kSecret);
  EXPECT_EQ(decrypt_req_info(req_info, kSecret), refund);
  EXPECT_EQ(parse_refund_notification(refund_body(req_info), kSecret).refund, refund);
}

TEST(V2NotificationTest, RefundWithWrongKeyOrNoReqInfo) {
  const std::string body = refund_body(cli_req_info(kRefundPlain, kSecret));
  EXPECT_THROW((void)parse_refund_notification(body, "another-secret"), VerificationError);
  EXPECT_THROW(
      (void)parse_refund_notification("<xml><return_code>SUCCESS</return_code></xml>", kSecret),
      VerificationError);
  EXPECT_THROW((void)parse_refund_notification(
                   "<xml><return_code>FAIL</return_code><return_msg>x</return_msg></xml>", kSecret),
               ApiError);
}

}  // namespace
}  // namespace wechatpay::v2
