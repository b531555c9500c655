#include "wechatpay/crypto/encoding.hpp"

#include <gtest/gtest.h>

#include <string>

#include "crypto/openssl_cli.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::crypto {
namespace {

using namespace std::string_literals;

// All 256 byte values, repeated to `size` bytes.
std::string binary(std::size_t size) {
  std::string out(size, '\0');
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<char>((i * 7 + 3) & 0xff);
  return out;
}

TEST(Base64Test, EncodesRfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(Base64Test, DecodesRfc4648VectorsToExactLength) {
  EXPECT_EQ(base64_decode(""), "");
  EXPECT_EQ(base64_decode("Zg=="), "f");
  EXPECT_EQ(base64_decode("Zm8="), "fo");
  EXPECT_EQ(base64_decode("Zm9v"), "foo");
  EXPECT_EQ(base64_decode("Zm9vYg=="), "foob");
  EXPECT_EQ(base64_decode("Zm9vYmE="), "fooba");
  EXPECT_EQ(base64_decode("Zm9vYmFy"), "foobar");
}

TEST(Base64Test, RoundTripsBinaryOfLengthsZeroToFive) {
  for (std::size_t size = 0; size <= 5; ++size) {
    const std::string data = "\0\xff\x80\x01\x7f"s.substr(0, size);
    const std::string encoded = base64_encode(data);
    EXPECT_EQ(encoded.size(), 4 * ((size + 2) / 3)) << size;
    EXPECT_EQ(base64_decode(encoded), data) << size;
  }
}

TEST(Base64Test, AgreesWithOpensslCliAcrossChunkBoundaries) {
  testing::TempDir dir;
  // Larger than the 3 MiB encode and 4 MiB decode chunks.
  const std::string data = binary(3 * (1u << 20) + 7);
  testing::write_file(dir / "data.bin", data);
  const std::string cli = testing::openssl("base64 -A -in " + (dir / "data.bin"));
  const std::string ours = base64_encode(data);
  ASSERT_GT(ours.size(), 4u * (1u << 20));
  EXPECT_TRUE(ours == cli) << "encodings differ";
  EXPECT_TRUE(base64_decode(cli) == data) << "decoding differs";
}

TEST(Base64Test, RejectsMalformedInput) {
  for (const std::string& bad : {"Zg="s, "Zg"s, "Z"s, "Z==="s, "===="s, "="s, "Zm9v\n"s, " Zm9v"s,
                                 "Zm 9v"s, "Zm=v"s, "Zg==Zg=="s, "Zm9v===="s, "Zm9-"s, "Zm9_"s,
                                 "Zm9v\0"s.substr(0, 4) + "\0\0\0\0"s, "\xff\xff\xff\xff"s}) {
    EXPECT_THROW(base64_decode(bad), CryptoError) << bad;
  }
}

TEST(Base64Test, DecodedSizeWithoutDecodingMatchesDecode) {
  EXPECT_EQ(base64_decoded_size(""), 0u);
  EXPECT_EQ(base64_decoded_size("Zg=="), 1u);
  EXPECT_EQ(base64_decoded_size("Zm8="), 2u);
  EXPECT_EQ(base64_decoded_size("Zm9v"), 3u);
  // An RSA-2048 ciphertext's shape: 344 characters, two of them padding, 256 bytes.
  const std::string ciphertext = base64_encode(binary(256));
  ASSERT_EQ(ciphertext.size(), 344u);
  EXPECT_EQ(base64_decoded_size(ciphertext), 256u);
  for (std::size_t size = 0; size <= 300; size += 7) {
    EXPECT_EQ(base64_decoded_size(base64_encode(binary(size))), size) << size;
  }
}

TEST(Base64Test, DecodedSizeRefusesWhatDecodeRefuses) {
  for (const std::string& bad : {"Zg="s, "Zg"s, "Z==="s, "===="s, "Zm9v\n"s, "Zm 9v"s, "Zm=v"s,
                                 "Zg==Zg=="s, "Zm9-"s, "Zm9_"s, "\xff\xff\xff\xff"s}) {
    EXPECT_EQ(base64_decoded_size(bad), std::nullopt) << bad;
    EXPECT_THROW(base64_decode(bad), CryptoError) << bad;
  }
}

TEST(HexTest, EncodesLowerAndUpper) {
  EXPECT_EQ(hex_encode(""), "");
  EXPECT_EQ(hex_encode("\x00\xff\x10\xab"s), "00ff10ab");
  EXPECT_EQ(hex_encode("\x00\xff\x10\xab"s, true), "00FF10AB");
}

}  // namespace
}  // namespace wechatpay::crypto
