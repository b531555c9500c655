#include "wechatpay/v2/signature.hpp"

#include <gtest/gtest.h>

#include "v2/openssl_sign.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::v2 {
namespace {

using testing::kDocMd5Sign;
using testing::kDocSecret;
using testing::kDocStringA;

// The documented example's fields, deliberately not in sorted order.
XmlFields doc_fields() {
  return {{"appid", "wxd930ea5d5a258f4f"},
          {"mch_id", "10000100"},
          {"device_info", "1000"},
          {"body", "test"},
          {"nonce_str", "ibuaiVcKdpRxkhJA"}};
}

TEST(V2SignatureTest, DocumentedMd5Example) {
  EXPECT_EQ(signing_string(doc_fields()), kDocStringA);
  EXPECT_EQ(sign(doc_fields(), kDocSecret, SignType::kMd5), kDocMd5Sign);
  EXPECT_EQ(sign(doc_fields(), kDocSecret), kDocMd5Sign);  // no sign_type: MD5
}

TEST(V2SignatureTest, HmacSha256AgreesWithOpensslCli) {
  XmlFields fields = doc_fields();
  fields.add("sign_type", "HMAC-SHA256");
  const std::string expected = testing::openssl_hmac_sha256(
      kDocSecret, kDocStringA + "&sign_type=HMAC-SHA256&key=" + kDocSecret);
  EXPECT_EQ(sign(fields, kDocSecret), expected);
  EXPECT_EQ(sign(fields, kDocSecret, SignType::kHmacSha256), expected);
  EXPECT_EQ(expected.size(), 64u);
}

TEST(V2SignatureTest, SkipsSignAndEmptyValuesAndSortsByBytes) {
  XmlFields fields{{"b", "2"},     {"a", "1"},   {"sign", "OLD"}, {"empty", ""},
                   {"B", "upper"}, {"a_b", "3"}, {"中", "x"}};
  // Byte order: 'B' (0x42) < '_' (0x5f) < 'a' (0x61); UTF-8 lead bytes sort last.
  EXPECT_EQ(signing_string(fields), "B=upper&a=1&a_b=3&b=2&中=x");
  EXPECT_EQ(sign(fields, "k", SignType::kMd5),
            testing::openssl_md5("B=upper&a=1&a_b=3&b=2&中=x&key=k"));
}

TEST(V2SignatureTest, ValuesAreNotUrlEncoded) {
  XmlFields fields{{"body", "a b&c=d/中文"}};
  EXPECT_EQ(signing_string(fields), "body=a b&c=d/中文");
}

TEST(V2SignatureTest, UnsupportedSignTypeIsAnErrorNeverAnEmptySign) {
  XmlFields fields = doc_fields();
  for (const char* type : {"SHA256", "md5", "HMAC-SHA1", "RSA"}) {
    fields.set("sign_type", type);
    try {
      (void)sign(fields, kDocSecret);
      FAIL() << type << " was accepted";
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.field(), "sign_type");
      EXPECT_EQ(std::string(e.what()).find(kDocSecret), std::string::npos);
    }
  }
}

TEST(V2SignatureTest, VerifyPicksTheTypeByLength) {
  XmlFields md5 = doc_fields();
  md5.add("sign", kDocMd5Sign);
  EXPECT_TRUE(verify(md5, kDocSecret));
  EXPECT_FALSE(verify(md5, kDocSecret + "x"));

  XmlFields hmac = doc_fields();
  hmac.add("sign", testing::openssl_hmac_sha256(kDocSecret, kDocStringA + "&key=" + kDocSecret));
  EXPECT_TRUE(verify(hmac, kDocSecret));
  // An explicit type overrides the length rule.
  EXPECT_FALSE(verify(hmac, kDocSecret, SignType::kMd5));
  EXPECT_TRUE(verify(hmac, kDocSecret, SignType::kHmacSha256));
}

TEST(V2SignatureTest, VerifyRejectsMissingTamperedOrLowerCaseSigns) {
  EXPECT_FALSE(verify(doc_fields(), kDocSecret));
  XmlFields fields = doc_fields();
  fields.add("sign", "");
  EXPECT_FALSE(verify(fields, kDocSecret));
  fields.set("sign", "9A0A8659F005D6984697E2CA0A9CF3B8");
  EXPECT_FALSE(verify(fields, kDocSecret));
  fields.set("body", "test2");
  fields.set("sign", kDocMd5Sign);
  EXPECT_FALSE(verify(fields, kDocSecret));
}

TEST(V2SignatureTest, WorkwxSignUsesSecretSuffix) {
  XmlFields fields{{"wxappid", "wx123"},    {"mch_id", "1900000109"}, {"mch_billno", "B1"},
                   {"total_amount", "100"}, {"re_openid", "oXyz"},    {"act_name", "act"},
                   {"nonce_str", "n0nce"},  {"sign", "ignored"},      {"workwx_sign", "ignored"}};
  const std::string expected = testing::openssl_md5(
      "act_name=act&mch_billno=B1&mch_id=1900000109&nonce_str=n0nce&re_openid=oXyz"
      "&total_amount=100&wxappid=wx123&secret=WeComSecret");
  EXPECT_EQ(workwx_sign(fields, "WeComSecret"), expected);
  EXPECT_NE(workwx_sign(fields, "WeComSecret"), sign(fields, "WeComSecret", SignType::kMd5));
}

}  // namespace
}  // namespace wechatpay::v2
