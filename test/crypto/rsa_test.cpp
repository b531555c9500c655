#include "wechatpay/crypto/rsa.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/key_material.hpp"
#include "support/pki.hpp"
#include "wechatpay/crypto/encoding.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::crypto {
namespace {

using testing::KeyMaterial;
using testing::openssl;
using testing::read_file;
using testing::write_file;

constexpr const char* kOaepOptions =
    " -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha1 -pkeyopt rsa_mgf1_md:sha1";

class RsaTest : public ::testing::Test {
 protected:
  const KeyMaterial& k = KeyMaterial::get();
  const PrivateKey private_key = PrivateKey::load("file://" + k.pkcs8_pem);
  const PublicKey public_key = PublicKey::load("file://" + k.spki_pem);
  // An APIv3 signing message: method, URL, timestamp, nonce and body, each newline-terminated.
  const std::string message =
      "POST\n/v3/pay/transactions/jsapi\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n"
      "{\"appid\":\"wxd678efh567hg6787\",\"description\":\"Image形象店-深圳腾大-QQ公仔\"}\n";
};

TEST_F(RsaTest, OpensslCliVerifiesOurSignature) {
  write_file(k.path("rsa_msg.txt"), message);
  write_file(k.path("rsa_ours.sig"), base64_decode(rsa_sign_sha256(private_key, message)));
  const std::string verify =
      "openssl dgst -sha256 -verify " + k.spki_pem + " -signature " + k.path("rsa_ours.sig") + " ";
  const testing::CliResult ok = testing::run(verify + k.path("rsa_msg.txt"));
  EXPECT_EQ(ok.status, 0) << ok.output;
  EXPECT_NE(ok.output.find("Verified OK"), std::string::npos) << ok.output;
  // The same check must fail for another message, or the check above proves nothing.
  write_file(k.path("rsa_other.txt"), message + " ");
  EXPECT_NE(testing::run(verify + k.path("rsa_other.txt")).status, 0);
}

TEST_F(RsaTest, VerifiesTheOpensslCliSignature) {
  write_file(k.path("rsa_msg2.txt"), message);
  openssl("dgst -sha256 -sign " + k.pkcs8_pem + " -out " + k.path("rsa_cli.sig") + " " +
          k.path("rsa_msg2.txt"));
  const std::string signature = base64_encode(read_file(k.path("rsa_cli.sig")));
  EXPECT_TRUE(rsa_verify_sha256(public_key, message, signature));
  EXPECT_EQ(rsa_sign_sha256(private_key, message), signature);
}

// Signature contexts are prepared once per thread and key, for a few keys: keys used in turn,
// more of them than are kept, must each sign and verify with their own key every time.
TEST_F(RsaTest, KeysUsedInTurnEachSignWithTheirOwnKey) {
  const std::vector<std::string> names = {"merchant", "platform", "ca", "tls-server", "tls-client"};
  std::vector<PrivateKey> keys;
  std::vector<PublicKey> public_keys;
  for (const auto& name : names) {
    keys.push_back(PrivateKey::load(test::cached_rsa_key(name).private_pem));
    public_keys.push_back(PublicKey::load(test::cached_rsa_key(name).public_pem));
  }
  write_file(k.path("rsa_msg.txt"), message);
  for (int round = 0; round < 2; ++round) {
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const std::string signature = rsa_sign_sha256(keys[i], message);
      EXPECT_TRUE(rsa_verify_sha256(public_keys[i], message, signature)) << names[i];
      EXPECT_FALSE(rsa_verify_sha256(public_keys[(i + 1) % keys.size()], message, signature))
          << names[i];
      if (round == 1) {
        write_file(k.path("rsa_turn.pem"), test::cached_rsa_key(names[i]).public_pem);
        write_file(k.path("rsa_turn.sig"), base64_decode(signature));
        const testing::CliResult cli =
            testing::run("openssl dgst -sha256 -verify " + k.path("rsa_turn.pem") + " -signature " +
                         k.path("rsa_turn.sig") + " " + k.path("rsa_msg.txt"));
        EXPECT_NE(cli.output.find("Verified OK"), std::string::npos) << names[i] << cli.output;
      }
    }
  }
}

TEST_F(RsaTest, RejectsWrongAndMalformedSignatures) {
  const std::string signature = rsa_sign_sha256(private_key, message);
  ASSERT_TRUE(rsa_verify_sha256(public_key, message, signature));
  EXPECT_FALSE(rsa_verify_sha256(public_key, message + "x", signature));
  EXPECT_FALSE(rsa_verify_sha256(public_key, "", signature));

  std::string raw = base64_decode(signature);
  raw[10] = static_cast<char>(raw[10] ^ 0x01);
  EXPECT_FALSE(rsa_verify_sha256(public_key, message, base64_encode(raw)));
  EXPECT_FALSE(rsa_verify_sha256(public_key, message, base64_encode(raw.substr(1))));
  EXPECT_FALSE(rsa_verify_sha256(public_key, message, base64_encode(raw + "\x01")));
  EXPECT_FALSE(rsa_verify_sha256(public_key, message, ""));
  EXPECT_FALSE(rsa_verify_sha256(public_key, message, "not base64!"));
  EXPECT_FALSE(rsa_verify_sha256(public_key, message, signature.substr(1)));

  // A signature by another key.
  const PrivateKey other =
      PrivateKey::load(openssl("genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048"));
  EXPECT_FALSE(rsa_verify_sha256(public_key, message, rsa_sign_sha256(other, message)));
}

TEST_F(RsaTest, EmptyKeysAreUnusable) {
  EXPECT_THROW(rsa_sign_sha256(PrivateKey{}, message), CryptoError);
  EXPECT_THROW(rsa_verify_sha256(PublicKey{}, message, "AAAA"), CryptoError);
  EXPECT_THROW(rsa_oaep_encrypt(PublicKey{}, "x"), CryptoError);
  EXPECT_THROW(rsa_oaep_decrypt(PrivateKey{}, "AAAA"), CryptoError);
}

TEST_F(RsaTest, OpensslCliDecryptsOurOaep) {
  const std::string plaintext = "张三 / 6214 8888 0000 1234";
  const std::string ciphertext = rsa_oaep_encrypt(public_key, plaintext);
  EXPECT_EQ(base64_decode(ciphertext).size(), 256u);
  // OAEP is randomised: the same plaintext never encrypts the same way twice.
  EXPECT_NE(rsa_oaep_encrypt(public_key, plaintext), ciphertext);
  write_file(k.path("oaep_ours.bin"), base64_decode(ciphertext));
  openssl("pkeyutl -decrypt -inkey " + k.pkcs8_pem + kOaepOptions + " -in " +
          k.path("oaep_ours.bin") + " -out " + k.path("oaep_ours.txt"));
  EXPECT_EQ(read_file(k.path("oaep_ours.txt")), plaintext);
}

TEST_F(RsaTest, DecryptsOaepFromTheOpensslCli) {
  const std::string plaintext = "110101199003077777";
  write_file(k.path("oaep_plain.txt"), plaintext);
  openssl("pkeyutl -encrypt -pubin -inkey " + k.spki_pem + kOaepOptions + " -in " +
          k.path("oaep_plain.txt") + " -out " + k.path("oaep_cli.bin"));
  const std::string ciphertext = base64_encode(read_file(k.path("oaep_cli.bin")));
  EXPECT_EQ(rsa_oaep_decrypt(private_key, ciphertext), plaintext);

  // OAEP with SHA-256 is a different scheme; ours is SHA-1 and must refuse it.
  openssl("pkeyutl -encrypt -pubin -inkey " + k.spki_pem +
          " -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256"
          " -in " +
          k.path("oaep_plain.txt") + " -out " + k.path("oaep_sha256.bin"));
  EXPECT_THROW(rsa_oaep_decrypt(private_key, base64_encode(read_file(k.path("oaep_sha256.bin")))),
               CryptoError);
}

TEST_F(RsaTest, OaepFailuresThrowWithoutData) {
  const std::string plaintext = "secret-bank-account-6214888800001234";
  const std::string ciphertext = rsa_oaep_encrypt(public_key, plaintext);
  std::string raw = base64_decode(ciphertext);
  raw[100] = static_cast<char>(raw[100] ^ 0x40);
  for (const std::string& bad : {base64_encode(raw), std::string("not base64!"), std::string(""),
                                 base64_encode(raw.substr(0, 128))}) {
    try {
      rsa_oaep_decrypt(private_key, bad);
      ADD_FAILURE() << "decrypted a bad ciphertext";
    } catch (const CryptoError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("RSA-OAEP decrypt"), std::string::npos) << what;
      EXPECT_EQ(what.find("secret-bank"), std::string::npos) << what;
      if (!bad.empty()) {
        EXPECT_EQ(what.find(bad.substr(0, 12)), std::string::npos) << what;
      }
    }
  }
  // 2048-bit OAEP-SHA1 carries at most 256 - 2*20 - 2 = 214 bytes.
  EXPECT_NO_THROW(rsa_oaep_encrypt(public_key, std::string(214, 'a')));
  EXPECT_THROW(rsa_oaep_encrypt(public_key, std::string(215, 'a')), CryptoError);
}

}  // namespace
}  // namespace wechatpay::crypto
