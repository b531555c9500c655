#include "wechatpay/v3/media.hpp"

#include <gtest/gtest.h>

#include "wechatpay/crypto/hash.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::v3 {
namespace {

TEST(Media, MultipartHasMetaThenFileAndSignsOnlyTheMeta) {
  std::string content("\x89PNG\r\n\x1a\n\0binary", 16);
  auto options = media_upload_options("logo.png", content);
  ASSERT_TRUE(options.body);
  const auto& type = options.body->content_type;
  ASSERT_TRUE(type.starts_with("multipart/form-data; boundary=")) << type;
  auto boundary = type.substr(type.find('=') + 1);
  EXPECT_GE(boundary.size(), 30u);
  std::string meta = R"({"filename":"logo.png","sha256":")" + crypto::sha256_hex(content) + "\"}";
  EXPECT_EQ(options.signed_body, meta);
  EXPECT_EQ(options.body->bytes,
            "--" + boundary +
                "\r\nContent-Disposition: form-data; name=\"meta\"\r\n"
                "Content-Type: application/json\r\n\r\n" +
                meta + "\r\n--" + boundary +
                "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"logo.png\"\r\n"
                "Content-Type: image/png\r\n\r\n" +
                content + "\r\n--" + boundary + "--\r\n");
}

TEST(Media, CallersOwnMetaAndFreshBoundaries) {
  auto a = media_upload_options("v.MP4", "x", Json{{"filename", "v.MP4"}, {"sha256", "abc"}});
  EXPECT_EQ(a.signed_body, R"({"filename":"v.MP4","sha256":"abc"})");
  EXPECT_NE(a.body->bytes.find("Content-Type: video/mp4"), std::string::npos);
  auto b = media_upload_options("v.MP4", "x");
  EXPECT_NE(a.body->content_type, b.body->content_type);
  EXPECT_EQ(media_content_type("noext"), "application/octet-stream");
}

TEST(Media, RejectsFileNamesThatWouldBreakTheHeader) {
  EXPECT_THROW(media_upload_options("a\"b.png", "x"), Error);
  EXPECT_THROW(media_upload_options("a\r\nb.png", "x"), Error);
  EXPECT_THROW(media_upload_options("", "x"), Error);
}

}  // namespace
}  // namespace wechatpay::v3
