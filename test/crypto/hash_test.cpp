#include "wechatpay/crypto/hash.hpp"

#include <gtest/gtest.h>

#include <string>

#include "crypto/openssl_cli.hpp"
#include "wechatpay/crypto/encoding.hpp"

namespace wechatpay::crypto {
namespace {

using namespace std::string_literals;

TEST(HashTest, KnownDigestVectors) {
  EXPECT_EQ(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(sha1_hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(HashTest, RawSha256IsThirtyTwoBytesOfTheHexDigest) {
  const std::string raw = sha256("abc");
  ASSERT_EQ(raw.size(), 32u);
  EXPECT_EQ(hex_encode(raw), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(HashTest, HmacSha256Rfc4231Vectors) {
  // RFC 4231 test case 2.
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // RFC 4231 test case 1: 20 bytes of 0x0b, "Hi There".
  EXPECT_EQ(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(HashTest, HmacSha256AgreesWithOpensslCli) {
  testing::TempDir dir;
  const std::string key = "192006250b4c09247ec02edce69f6a2d";
  const std::string data =
      "appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100"
      "&nonce_str=ibuaiVcKdpRxkhJA&key=" +
      key;
  testing::write_file(dir / "data.txt", data);
  const std::string expected =
      testing::dgst_value(testing::openssl("dgst -sha256 -hmac " + key + " " + (dir / "data.txt")));
  EXPECT_EQ(hmac_sha256_hex(key, data), expected);
  EXPECT_NE(hmac_sha256_hex(key + "x", data), expected);
}

TEST(HashTest, DigestsAgreeWithOpensslCliOnBinaryData) {
  testing::TempDir dir;
  std::string data;
  for (int i = 0; i < 1000; ++i) data.push_back(static_cast<char>(i * 31));
  testing::write_file(dir / "data.bin", data);
  const std::string file = dir / "data.bin";
  EXPECT_EQ(md5_hex(data), testing::dgst_value(testing::openssl("dgst -md5 " + file)));
  EXPECT_EQ(sha1_hex(data), testing::dgst_value(testing::openssl("dgst -sha1 " + file)));
  EXPECT_EQ(sha256_hex(data), testing::dgst_value(testing::openssl("dgst -sha256 " + file)));
}

TEST(HashTest, HmacAcceptsEmptyKeyAndData) {
  // HMAC-SHA256 with an empty key over an empty message (a well-known value).
  EXPECT_EQ(hmac_sha256_hex("", ""),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(ConstantTimeEqualsTest, ComparesContentAndLength) {
  EXPECT_TRUE(constant_time_equals("", ""));
  EXPECT_TRUE(constant_time_equals("abc", "abc"));
  EXPECT_TRUE(constant_time_equals("a\0b"s, "a\0b"s));
  EXPECT_FALSE(constant_time_equals("abc", "abd"));
  EXPECT_FALSE(constant_time_equals("abc", "ab"));
  EXPECT_FALSE(constant_time_equals("", "a"));
  EXPECT_FALSE(constant_time_equals("a\0b"s, "a\0c"s));
}

}  // namespace
}  // namespace wechatpay::crypto
