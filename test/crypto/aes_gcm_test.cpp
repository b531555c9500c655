#include "wechatpay/crypto/aes_gcm.hpp"

#include <gtest/gtest.h>

#include <string>

#include "wechatpay/crypto/encoding.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::crypto {
namespace {

std::string unhex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

const std::string kKey = "0123456789abcdef0123456789abcdef";  // an APIv3 key is 32 characters

TEST(AesGcmTest, McGrewViegaTestCase16) {
  // "The Galois/Counter Mode of Operation (GCM)", test case 16: AES-256, 96-bit IV, with AAD.
  const std::string key = unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
  const std::string iv = unhex("cafebabefacedbaddecaf888");
  const std::string aad = unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  const std::string plaintext = unhex(
      "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
      "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
  const std::string expected = unhex(
      "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
      "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
      "76fc6ece0f4e1768cddf8853bb2d551b");  // ciphertext || tag
  EXPECT_EQ(hex_encode(base64_decode(aes_256_gcm_encrypt(key, iv, aad, plaintext))),
            hex_encode(expected));
  EXPECT_EQ(aes_256_gcm_decrypt(key, iv, aad, base64_encode(expected)), plaintext);
}

TEST(AesGcmTest, WechatStyleTextVector) {
  // Computed independently with Python's `cryptography` package (AESGCM), text key and nonce
  // as WeChat Pay uses them.
  const std::string sealed = "XB6HcVDUbwa6vsIZ0oyQpDXU5x5UtzJU7palsfp07DcgZA==";
  EXPECT_EQ(aes_256_gcm_encrypt(kKey, "a1b2c3d4e5f6", "certificate", R"({"hello":"wechat"})"),
            sealed);
  EXPECT_EQ(aes_256_gcm_decrypt(kKey, "a1b2c3d4e5f6", "certificate", sealed),
            R"({"hello":"wechat"})");
}

TEST(AesGcmTest, RoundTripsIncludingEmptyAndNonStandardNonce) {
  for (const char* nonce : {"a1b2c3d4e5f6", "a-sixteen-byte-n", "n"}) {
    for (const std::string& plaintext : {std::string(), std::string("x"), std::string(5000, 'q')}) {
      const std::string sealed = aes_256_gcm_encrypt(kKey, nonce, "transaction", plaintext);
      EXPECT_EQ(base64_decode(sealed).size(), plaintext.size() + 16);
      EXPECT_EQ(aes_256_gcm_decrypt(kKey, nonce, "transaction", sealed), plaintext);
    }
  }
  const std::string sealed = aes_256_gcm_encrypt(kKey, "a1b2c3d4e5f6", "", "no aad");
  EXPECT_EQ(aes_256_gcm_decrypt(kKey, "a1b2c3d4e5f6", "", sealed), "no aad");
  // The IV length follows the nonce: a longer nonce is not truncated to 12 bytes.
  EXPECT_NE(aes_256_gcm_encrypt(kKey, "a1b2c3d4e5f6", "", "x"),
            aes_256_gcm_encrypt(kKey, "a1b2c3d4e5f6XXXX", "", "x"));
}

TEST(AesGcmTest, TamperingWrongAadNonceOrKeyFailTheTag) {
  const std::string sealed = aes_256_gcm_encrypt(kKey, "a1b2c3d4e5f6", "certificate", "payload");
  std::string raw = base64_decode(sealed);
  for (std::size_t i : {std::size_t{0}, raw.size() - 1}) {  // ciphertext byte, tag byte
    std::string tampered = raw;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    EXPECT_THROW(aes_256_gcm_decrypt(kKey, "a1b2c3d4e5f6", "certificate", base64_encode(tampered)),
                 CryptoError);
  }
  EXPECT_THROW(aes_256_gcm_decrypt(kKey, "a1b2c3d4e5f6", "transaction", sealed), CryptoError);
  EXPECT_THROW(aes_256_gcm_decrypt(kKey, "a1b2c3d4e5f7", "certificate", sealed), CryptoError);
  std::string other_key = kKey;
  other_key[0] = 'X';
  EXPECT_THROW(aes_256_gcm_decrypt(other_key, "a1b2c3d4e5f6", "certificate", sealed), CryptoError);
  try {
    aes_256_gcm_decrypt(kKey, "a1b2c3d4e5f6", "wrong", sealed);
  } catch (const CryptoError& e) {
    EXPECT_EQ(std::string(e.what()).find(kKey), std::string::npos);
    EXPECT_EQ(std::string(e.what()).find("payload"), std::string::npos);
  }
}

TEST(AesGcmTest, RejectsBadParameters) {
  const std::string sealed = aes_256_gcm_encrypt(kKey, "a1b2c3d4e5f6", "", "x");
  for (const std::string& key :
       {std::string(), std::string(16, 'k'), std::string(31, 'k'), std::string(33, 'k')}) {
    EXPECT_THROW(aes_256_gcm_encrypt(key, "a1b2c3d4e5f6", "", "x"), CryptoError);
    EXPECT_THROW(aes_256_gcm_decrypt(key, "a1b2c3d4e5f6", "", sealed), CryptoError);
  }
  EXPECT_THROW(aes_256_gcm_encrypt(kKey, "", "", "x"), CryptoError);
  EXPECT_THROW(aes_256_gcm_decrypt(kKey, "a1b2c3d4e5f6", "", "not base64!"), CryptoError);
  EXPECT_THROW(aes_256_gcm_decrypt(kKey, "a1b2c3d4e5f6", "", base64_encode("short")), CryptoError);
  EXPECT_THROW(aes_256_gcm_decrypt(kKey, "a1b2c3d4e5f6", "", ""), CryptoError);
}

}  // namespace
}  // namespace wechatpay::crypto
