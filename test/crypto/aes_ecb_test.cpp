#include "wechatpay/crypto/aes_ecb.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <initializer_list>
#include <string>

#include "crypto/openssl_cli.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::crypto {
namespace {

// Hex of the key's bytes, as `openssl enc -K` wants it.
std::string key_hex(const std::string& key) {
  std::string out;
  char buffer[3];
  for (unsigned char c : key) {
    std::snprintf(buffer, sizeof buffer, "%02x", c);
    out += buffer;
  }
  return out;
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

// The APIv2 refund key: the lower-case hex MD5 of the APIv2 secret, from the CLI.
std::string refund_key(const std::string& secret) {
  testing::TempDir dir;
  testing::write_file(dir / "secret.txt", secret);
  return testing::dgst_value(testing::openssl("dgst -md5 " + (dir / "secret.txt")));
}

TEST(AesEcbTest, RoundTrips) {
  const std::string key = refund_key("192006250b4c09247ec02edce69f6a2d");
  ASSERT_EQ(key.size(), 32u);
  for (const std::string& plain : std::initializer_list<std::string>{
           std::string(), std::string("a"), std::string(16, 'x'), std::string(17, 'y'),
           std::string("<root><out_refund_no>R1</out_refund_no></root>")}) {
    const std::string cipher = aes_256_ecb_encrypt(key, plain);
    EXPECT_EQ(aes_256_ecb_decrypt(key, cipher), plain);
  }
}

TEST(AesEcbTest, MatchesOpensslCli) {
  testing::TempDir dir;
  const std::string key = refund_key("192006250b4c09247ec02edce69f6a2d");
  const std::string plain =
      "<root><out_refund_no><![CDATA[131811191610442717309]]></out_refund_no>"
      "<refund_status><![CDATA[SUCCESS]]></refund_status><note>退款</note></root>";
  testing::write_file(dir / "plain.txt", plain);
  const std::string expected = trimmed(testing::openssl(
      "enc -aes-256-ecb -K " + key_hex(key) + " -nosalt -base64 -A -in " + (dir / "plain.txt")));
  EXPECT_EQ(aes_256_ecb_encrypt(key, plain), expected);
  EXPECT_EQ(aes_256_ecb_decrypt(key, expected), plain);
}

TEST(AesEcbTest, DecryptsWhatOpensslEncrypts) {
  testing::TempDir dir;
  const std::string key = "0123456789abcdef0123456789abcdef";
  testing::write_file(dir / "plain.bin", std::string(48, '\x01'));  // whole blocks: full pad block
  const std::string cipher = trimmed(testing::openssl("enc -aes-256-ecb -K " + key_hex(key) +
                                                      " -base64 -A -in " + (dir / "plain.bin")));
  EXPECT_EQ(cipher.size(), 88u);  // 64 bytes of ciphertext
  EXPECT_EQ(aes_256_ecb_decrypt(key, cipher), std::string(48, '\x01'));
}

TEST(AesEcbTest, RejectsBadInput) {
  const std::string key(32, 'k');
  EXPECT_THROW((void)aes_256_ecb_encrypt("short", "x"), CryptoError);
  EXPECT_THROW((void)aes_256_ecb_decrypt(std::string(31, 'k'), "AAAAAAAAAAAAAAAAAAAAAA=="),
               CryptoError);
  EXPECT_THROW((void)aes_256_ecb_decrypt(key, "not base64!"), CryptoError);
  EXPECT_THROW((void)aes_256_ecb_decrypt(key, ""), CryptoError);
  EXPECT_THROW((void)aes_256_ecb_decrypt(key, "AAAAAAAAAAAAAAAAAAAA"), CryptoError);  // 15 bytes
  // Another key: the padding of the last block does not check out.
  const std::string cipher = aes_256_ecb_encrypt(key, "hello refund notification");
  EXPECT_THROW((void)aes_256_ecb_decrypt(std::string(32, 'j'), cipher), CryptoError);
}

}  // namespace
}  // namespace wechatpay::crypto
