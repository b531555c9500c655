#include "wechatpay/crypto/keys.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <openssl/err.h>

#include "crypto/key_material.hpp"
#include "support/pki.hpp"
#include "wechatpay/crypto/encoding.hpp"
#include "wechatpay/crypto/rsa.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::crypto {
namespace {

using testing::KeyMaterial;
using testing::read_file;

const KeyMaterial& km() {
  return KeyMaterial::get();
}

std::string file_spec(const std::string& path) {
  return "file://" + path;
}

// Every 16-character window of every secret: none may appear in `message`.
void expect_no_secret(const std::string& message) {
  for (const std::string& secret : km().secrets()) {
    const std::size_t window = std::min<std::size_t>(16, secret.size());
    for (std::size_t i = 0; i + window <= secret.size(); ++i) {
      ASSERT_EQ(message.find(secret.substr(i, window)), std::string::npos)
          << "message leaks key material or passphrase: " << message;
    }
  }
  EXPECT_EQ(message.find("-----BEGIN"), std::string::npos) << message;
}

// Runs `load`, which must throw CryptoError whose message says `mentions` and leaks nothing;
// OpenSSL's error queue must be empty afterwards.
void expect_load_error(const std::function<void()>& load, const std::string& mentions) {
  ERR_clear_error();
  try {
    load();
    ADD_FAILURE() << "no CryptoError (expected one mentioning '" << mentions << "')";
  } catch (const CryptoError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(mentions), std::string::npos)
        << "expected '" << mentions << "' in: " << message;
    expect_no_secret(message);
  }
  EXPECT_EQ(ERR_peek_error(), 0u) << "OpenSSL error queue not cleared";
}

// Base64 DER with two bytes appended after the structure.
std::string with_trailing_bytes(const std::string& der64) {
  return base64_encode(base64_decode(der64) + std::string("\x05\x00", 2));
}

const char* const kMessage =
    "GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n";

TEST(PrivateKeyTest, LoadsEveryFormAndSignsLikeTheOpensslCli) {
  const KeyMaterial& k = km();
  testing::write_file(k.path("msg.txt"), kMessage);
  testing::openssl("dgst -sha256 -sign " + k.pkcs8_pem + " -out " + k.path("cli.sig") + " " +
                   k.path("msg.txt"));
  const std::string expected = testing::openssl("base64 -A -in " + k.path("cli.sig"));

  testing::write_file(k.path("spec.txt"), "private.pkcs8://" + k.pkcs8_der64 + "\n");
  const std::vector<std::pair<std::string, std::function<PrivateKey()>>> forms{
      {"PKCS#8 PEM", [&] { return PrivateKey::load(read_file(k.pkcs8_pem)); }},
      {"PKCS#1 PEM", [&] { return PrivateKey::load(read_file(k.pkcs1_pem)); }},
      {"encrypted PKCS#8 PEM",
       [&] { return PrivateKey::load(read_file(k.encrypted_pem), k.passphrase); }},
      {"file:// PKCS#8", [&] { return PrivateKey::load(file_spec(k.pkcs8_pem)); }},
      {"file:// PKCS#1", [&] { return PrivateKey::load(file_spec(k.pkcs1_pem)); }},
      {"file:// encrypted",
       [&] { return PrivateKey::load(file_spec(k.encrypted_pem), k.passphrase); }},
      {"private.pkcs1://", [&] { return PrivateKey::load("private.pkcs1://" + k.pkcs1_der64); }},
      {"private.pkcs8://", [&] { return PrivateKey::load("private.pkcs8://" + k.pkcs8_der64); }},
      {"file:// holding a private.pkcs8:// spec",
       [&] { return PrivateKey::load(file_spec(k.path("spec.txt"))); }},
  };
  for (const auto& [name, load] : forms) {
    SCOPED_TRACE(name);
    const PrivateKey key = load();
    ASSERT_TRUE(key);
    EXPECT_EQ(key.bits(), 2048);
    // PKCS#1 v1.5 signatures are deterministic: byte-for-byte equal to the CLI's.
    EXPECT_EQ(rsa_sign_sha256(key, kMessage), expected);
  }
}

TEST(PrivateKeyTest, LoadsLegacyEncryptedPkcs1Pem) {
  const KeyMaterial& k = km();
  testing::openssl("rsa -in " + k.pkcs8_pem + " -traditional -aes256 -passout pass:" +
                   k.passphrase + " -out " + k.path("legacy_encrypted.pem"));
  const std::string pem = read_file(k.path("legacy_encrypted.pem"));
  ASSERT_NE(pem.find("Proc-Type: 4,ENCRYPTED"), std::string::npos);
  const PrivateKey key = PrivateKey::load(pem, k.passphrase);
  EXPECT_EQ(rsa_sign_sha256(key, kMessage),
            rsa_sign_sha256(PrivateKey::load(file_spec(k.pkcs8_pem)), kMessage));
  expect_load_error([&] { PrivateKey::load(pem, "nope"); }, "wrong passphrase");
  expect_load_error([&] { PrivateKey::load(pem); }, "no passphrase");
}

TEST(PrivateKeyTest, AcceptsBase64WithLineBreaks) {
  std::string wrapped = km().pkcs8_der64;
  for (std::size_t i = 64; i < wrapped.size(); i += 65) wrapped.insert(i, "\n");
  EXPECT_TRUE(PrivateKey::load("private.pkcs8://" + wrapped));
}

TEST(PublicKeyTest, LoadsEveryFormAndVerifies) {
  const KeyMaterial& k = km();
  const PrivateKey private_key = PrivateKey::load(file_spec(k.pkcs8_pem));
  const std::string signature = rsa_sign_sha256(private_key, kMessage);

  const std::vector<std::pair<std::string, std::function<PublicKey()>>> forms{
      {"SPKI PEM", [&] { return PublicKey::load(read_file(k.spki_pem)); }},
      {"RSA PUBLIC KEY PEM", [&] { return PublicKey::load(read_file(k.rsa_public_pem)); }},
      {"certificate PEM", [&] { return PublicKey::load(read_file(k.cert_pem)); }},
      {"file:// SPKI", [&] { return PublicKey::load(file_spec(k.spki_pem)); }},
      {"file:// RSA PUBLIC KEY", [&] { return PublicKey::load(file_spec(k.rsa_public_pem)); }},
      {"file:// certificate", [&] { return PublicKey::load(file_spec(k.cert_pem)); }},
      {"public.spki://", [&] { return PublicKey::load("public.spki://" + k.spki_der64); }},
      {"public.pkcs1://", [&] { return PublicKey::load("public.pkcs1://" + k.rsa_public_der64); }},
      {"PublicKey::of", [&] { return PublicKey::of(private_key); }},
      {"Certificate::load", [&] { return Certificate::load(file_spec(k.cert_pem)).key; }},
  };
  for (const auto& [name, load] : forms) {
    SCOPED_TRACE(name);
    const PublicKey key = load();
    ASSERT_TRUE(key);
    EXPECT_EQ(key.bits(), 2048);
    EXPECT_TRUE(rsa_verify_sha256(key, kMessage, signature));
    EXPECT_FALSE(rsa_verify_sha256(key, std::string(kMessage) + "x", signature));
    // The SPKI PEM we write is the CLI's `openssl rsa -pubout` output, byte for byte.
    EXPECT_EQ(key.pem(), read_file(k.spki_pem));
  }
}

TEST(PublicKeyTest, OfCarriesNoPrivateMaterial) {
  const PublicKey key = PublicKey::of(PrivateKey::load(file_spec(km().pkcs8_pem)));
  // Using the public copy as a private key must fail: it has no private exponent.
  EXPECT_THROW(PrivateKey::load(key.pem()), CryptoError);
  EXPECT_THROW(PublicKey::of(PrivateKey{}), CryptoError);
  EXPECT_EQ(PublicKey{}.bits(), 0);
  EXPECT_FALSE(PublicKey{});
}

TEST(KeyErrorsTest, BadPrivateKeyInputsThrowWithoutLeaking) {
  const KeyMaterial& k = km();
  const std::string pkcs8 = read_file(k.pkcs8_pem);
  const std::string encrypted = read_file(k.encrypted_pem);
  testing::write_file(k.path("empty.pem"), "");
  testing::write_file(k.path("truncated.pem"), pkcs8.substr(0, pkcs8.size() / 2));
  std::string corrupt = pkcs8;
  corrupt[pkcs8.size() / 2] = corrupt[pkcs8.size() / 2] == 'A' ? 'B' : 'A';
  std::string corrupt_body = pkcs8;
  corrupt_body.replace(100, 8, "!!!!!!!!");

  const auto load = [](std::string spec, std::string pass = {}) {
    return [spec = std::move(spec), pass = std::move(pass)] { PrivateKey::load(spec, pass); };
  };
  expect_load_error(load(""), "empty");
  expect_load_error(load("  \n"), "empty");
  expect_load_error(load("hello world"), "not a recognised key spec");
  expect_load_error(load(encrypted, "wrong-" + k.passphrase), "wrong passphrase");
  expect_load_error(load(encrypted), "no passphrase");
  expect_load_error(load(file_spec(k.encrypted_pem)), "no passphrase");
  expect_load_error(load(file_spec(k.path("truncated.pem"))), "truncated.pem");
  expect_load_error(load(pkcs8.substr(0, pkcs8.size() - 30)), "PRIVATE KEY");
  // Depending on where the flipped bit lands this fails to parse or fails the consistency check.
  expect_load_error(load(corrupt), "cannot load private key");
  expect_load_error(load(corrupt_body), "PRIVATE KEY");
  expect_load_error(load(file_spec(k.path("does-not-exist.pem"))), "does-not-exist.pem");
  expect_load_error(load(file_spec(k.path("empty.pem"))), "empty");
  expect_load_error(load(file_spec(k.dir.path().string())), "directory");
  expect_load_error(load("file://"), "without a path");
  expect_load_error(load("private.pkcs8://"), "no key data");
  expect_load_error(load("private.pkcs8://not base64!"), "not valid base64");
  expect_load_error(load("private.pkcs8://" + k.pkcs8_der64.substr(0, 400)), "private.pkcs8://");
  expect_load_error(load("private.pkcs8://" + k.pkcs1_der64), "private.pkcs8://");
  expect_load_error(load("private.pkcs8://" + with_trailing_bytes(k.pkcs8_der64)), "trailing data");
  expect_load_error(load("private.pkcs1://" + with_trailing_bytes(k.pkcs1_der64)), "trailing data");
  expect_load_error(load("private.pkcs1://" + k.pkcs8_der64), "private.pkcs1://");
  expect_load_error(load("private.pkcs1://" + k.rsa_public_der64), "private.pkcs1://");
  expect_load_error(load("public.spki://" + k.spki_der64), "holds a public key");
  expect_load_error(load(read_file(k.spki_pem)), "found PEM 'PUBLIC KEY'");
  expect_load_error(load(read_file(k.cert_pem)), "found PEM 'CERTIFICATE'");
  expect_load_error(load(file_spec(k.ec_pkcs8_pem)), "not an RSA key (EC)");
  expect_load_error(load(read_file(k.ec_traditional_pem)), "not an RSA key (EC)");
}

TEST(KeyErrorsTest, BadPublicKeyInputsThrowWithoutLeaking) {
  const KeyMaterial& k = km();
  const std::string spki = read_file(k.spki_pem);
  const auto load = [](std::string spec) {
    return [spec = std::move(spec)] { PublicKey::load(spec); };
  };
  expect_load_error(load(""), "empty");
  expect_load_error(load("garbage"), "not a recognised key spec");
  expect_load_error(load(spki.substr(0, spki.size() / 2)), "PUBLIC KEY");
  expect_load_error(load(read_file(k.pkcs8_pem)), "found PEM 'PRIVATE KEY'");
  expect_load_error(load("private.pkcs8://" + k.pkcs8_der64), "holds a private key");
  expect_load_error(load("public.spki://" + k.rsa_public_der64), "public.spki://");
  expect_load_error(load("public.pkcs1://" + k.spki_der64), "public.pkcs1://");
  expect_load_error(load("public.spki://" + with_trailing_bytes(k.spki_der64)), "trailing data");
  expect_load_error(load("public.pkcs1://" + k.spki_der64.substr(0, 100)), "public.pkcs1://");
  expect_load_error(load(file_spec(k.ec_public_pem)), "not an RSA key (EC)");
  expect_load_error(load(file_spec(k.ec_cert_pem)), "not an RSA key (EC)");
  expect_load_error(load(file_spec(k.path("missing.pem"))), "missing.pem");
}

TEST(CertificateTest, ReadsSerialValidityAndPem) {
  const KeyMaterial& k = km();
  const Certificate cert = Certificate::load(file_spec(k.cert_pem));
  const std::string cli_serial = testing::openssl("x509 -noout -serial -in " + k.cert_pem);
  ASSERT_EQ(cli_serial.rfind("serial=", 0), 0u) << cli_serial;
  EXPECT_EQ(cert.serial, cli_serial.substr(7, cli_serial.find('\n') - 7));
  EXPECT_EQ(cert.serial, "0A5157F09EFDC096DE15EBE81A47057A7232F1B8");

  // Epoch seconds as GNU date reads the CLI's printed dates.
  const auto cli_time = [&](const char* flag) {
    return std::stoll(testing::run_ok("date -u +%s -d \"$(openssl x509 -noout " +
                                      std::string(flag) + " -in " + k.cert_pem +
                                      " | cut -d= -f2)\""));
  };
  EXPECT_EQ(cert.not_before, cli_time("-startdate"));
  EXPECT_EQ(cert.not_after, cli_time("-enddate"));
  EXPECT_EQ(cert.not_after - cert.not_before, 30 * 86400);

  EXPECT_EQ(cert.pem, read_file(k.cert_pem));
  EXPECT_EQ(cert.key.pem(), read_file(k.spki_pem));
  EXPECT_EQ(Certificate::load(read_file(k.cert_pem)).serial, cert.serial);
}

TEST(CertificateTest, RejectsNonCertificates) {
  const KeyMaterial& k = km();
  const auto load = [](std::string spec) {
    return [spec = std::move(spec)] { Certificate::load(spec); };
  };
  expect_load_error(load(""), "empty");
  expect_load_error(load(file_spec(k.pkcs8_pem)), "certificate");
  expect_load_error(load(read_file(k.spki_pem)), "certificate");
  expect_load_error(load(file_spec(k.ec_cert_pem)), "not an RSA key");
  expect_load_error(load(file_spec(k.path("nope.pem"))), "nope.pem");
  // OpenSSL compares labels as C strings: "CERTIFICATE" followed by NUL bytes is not one (the
  // fuzzer found Certificate::load taking what is_certificate denies).
  std::string pem = read_file(k.cert_pem);
  const std::string begin = "-----BEGIN CERTIFICATE-----";
  pem.replace(pem.find(begin), begin.size(),
              "-----BEGIN CERTIFICATE" + std::string(8, '\0') + "-----");
  EXPECT_FALSE(is_certificate(pem));
  expect_load_error(load(pem), "no PEM certificate");
}

TEST(SpecTest, IsCertificateAndReadSpec) {
  const KeyMaterial& k = km();
  EXPECT_TRUE(is_certificate(file_spec(k.cert_pem)));
  EXPECT_TRUE(is_certificate(read_file(k.cert_pem)));
  EXPECT_FALSE(is_certificate(file_spec(k.pkcs8_pem)));
  EXPECT_FALSE(is_certificate(read_file(k.spki_pem)));
  EXPECT_FALSE(is_certificate(file_spec(k.path("missing.pem"))));
  EXPECT_FALSE(is_certificate(""));

  EXPECT_EQ(read_spec(file_spec(k.spki_pem)), read_file(k.spki_pem));
  EXPECT_EQ(read_spec("public.spki://AAAA"), "public.spki://AAAA");
  expect_load_error([&] { read_spec(file_spec(k.path("missing.pem"))); }, "missing.pem");
}

}  // namespace
}  // namespace wechatpay::crypto

namespace wechatpay::crypto {
namespace {

// Weak keys are refused wherever a key enters: the merchant key, configured and downloaded
// platform keys and certificates. The message says what is required.
TEST(KeyStrengthTest, RsaKeysBelow2048BitsAreRefused) {
  for (int bits : {512, 1024, 2040}) {
    SCOPED_TRACE(bits);
    const auto weak = pki::generate_rsa_key(bits);
    const auto certificate = pki::shared_ca().issue({}, weak);
    const std::string expected =
        std::to_string(bits) + "-bit RSA key is too weak: at least 2048 bits are required";
    for (const std::function<void()>& load : std::vector<std::function<void()>>{
             [&] { PrivateKey::load(weak.private_pem); }, [&] { PublicKey::load(weak.public_pem); },
             [&] { PublicKey::load(certificate.pem); },
             [&] { Certificate::load(certificate.pem); }}) {
      try {
        load();
        ADD_FAILURE() << "a weak key was accepted";
      } catch (const CryptoError& e) {
        EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
      }
    }
  }
  EXPECT_EQ(PrivateKey::load(pki::cached_rsa_key("merchant").private_pem).bits(), 2048);
}

}  // namespace
}  // namespace wechatpay::crypto
