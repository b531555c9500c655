#include "wechatpay/v2/media.hpp"

#include <gtest/gtest.h>

#include "wechatpay/errors.hpp"

namespace wechatpay::v2 {
namespace {

// `printf 'id card image bytes' | openssl dgst -md5`
constexpr const char* kContent = "id card image bytes";
constexpr const char* kContentMd5 = "7d6f24f6fd8b4296512823097e23fd8c";

TEST(V2Media, HashIsTheLowerCaseHexMd5OfTheContent) {
  EXPECT_EQ(media_hash(kContent), kContentMd5);
  // `printf '' | openssl dgst -md5`
  EXPECT_EQ(media_hash(""), "d41d8cd98f00b204e9800998ecf8427e");
}

TEST(V2Media, OptionsCarryTheFieldsToSignAndTheMediaPart) {
  const Options options = media_upload_options("10000100", "id-card.JPG", kContent);
  ASSERT_TRUE(options.xml.is_object());
  EXPECT_EQ(options.xml.dump(), std::string(R"({"mch_id":"10000100","media_hash":")") +
                                    kContentMd5 + R"(","sign_type":"HMAC-SHA256"})");
  EXPECT_TRUE(options.security);
  EXPECT_TRUE(options.nonceless);  // the documented form has no nonce_str
  EXPECT_FALSE(options.body);
  ASSERT_TRUE(options.form_file);
  EXPECT_EQ(options.form_file->name, "media");
  EXPECT_EQ(options.form_file->filename, "id-card.JPG");
  EXPECT_EQ(options.form_file->content, kContent);
  EXPECT_EQ(options.form_file->content_type, "image/jpeg");

  const Options md5 = media_upload_options("10000100", "scan.bmp", kContent, SignType::kMd5);
  ASSERT_TRUE(md5.xml.find("sign_type"));
  EXPECT_EQ(md5.xml.find("sign_type")->str(), "MD5");
  EXPECT_EQ(md5.form_file->content_type, "image/bmp");
}

TEST(V2Media, FileNamesThatWouldBreakTheHeaderAreConfigErrors) {
  for (const char* name : {"a\"b.png", "a\r\nb.png", "a\nb.png", ""}) {
    try {
      media_upload_options("10000100", name, kContent);
      FAIL() << "accepted " << name;
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.field(), "filename");
    }
  }
}

}  // namespace
}  // namespace wechatpay::v2
