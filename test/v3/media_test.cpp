#include "wechatpay/v3/media.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/temp_dir.hpp"
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

// Everything one pass of `stream` produces, read `chunk` bytes at a time.
std::string read_all(const BodyStream& stream, std::size_t chunk) {
  auto reader = stream.open();
  std::string out, buffer(chunk, '\0');
  while (std::size_t n = reader(buffer.data(), buffer.size())) out.append(buffer.data(), n);
  return out;
}

TEST(Media, StreamedBodyIsTheSameMultipartReadFromDisk) {
  test::TempDir dir;
  std::string content(200'000, '\0');
  for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i * 31 + i / 7);
  auto path = dir.write("clip.mp4", content);
  auto options = media_upload_stream_options(path);
  ASSERT_TRUE(options.body_stream);
  EXPECT_FALSE(options.body);
  const auto& type = options.body_stream->content_type;
  ASSERT_TRUE(type.starts_with("multipart/form-data; boundary=")) << type;
  auto boundary = type.substr(type.find('=') + 1);
  std::string meta = R"({"filename":"clip.mp4","sha256":")" + crypto::sha256_hex(content) + "\"}";
  EXPECT_EQ(options.signed_body, meta);
  const std::string expected =
      "--" + boundary +
      "\r\nContent-Disposition: form-data; name=\"meta\"\r\n"
      "Content-Type: application/json\r\n\r\n" +
      meta + "\r\n--" + boundary +
      "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"clip.mp4\"\r\n"
      "Content-Type: video/mp4\r\n\r\n" +
      content + "\r\n--" + boundary + "--\r\n";
  EXPECT_EQ(options.body_stream->size, expected.size());
  // Odd chunk sizes cross every part boundary; each pass starts again from the first byte.
  EXPECT_EQ(read_all(*options.body_stream, 7), expected);
  EXPECT_EQ(read_all(*options.body_stream, 65536), expected);
}

TEST(Media, StreamedUploadErrors) {
  test::TempDir dir;
  EXPECT_THROW(media_upload_stream_options(dir.path() / "missing.mp4"), Error);
  auto path = dir.write("short.mp4", std::string(100'000, 'x'));
  auto options =
      media_upload_stream_options(path, Json{{"filename", "short.mp4"}, {"sha256", "a"}});
  EXPECT_EQ(options.signed_body, R"({"filename":"short.mp4","sha256":"a"})");
  std::filesystem::resize_file(path, 10);
  EXPECT_THROW(read_all(*options.body_stream, 4096), Error);
  EXPECT_THROW(media_upload_stream_options(dir.write("a\"b.mp4", "x")), Error);
}

}  // namespace
}  // namespace wechatpay::v3
