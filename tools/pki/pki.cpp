#include "pki.hpp"

#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>

#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "crypto/openssl_ptr.hpp"

namespace wechatpay::pki {
namespace {

using crypto::BioPtr;
using crypto::EvpPkeyPtr;
using crypto::OpenSslDeleter;
using crypto::X509Ptr;
using BignumPtr = std::unique_ptr<BIGNUM, OpenSslDeleter<BN_free>>;
using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, OpenSslDeleter<ASN1_INTEGER_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, OpenSslDeleter<X509_EXTENSION_free>>;
using Pkcs12Ptr = std::unique_ptr<PKCS12, OpenSslDeleter<PKCS12_free>>;
void free_openssl_string(char* p) {
  OPENSSL_free(p);
}
using OpenSslString = std::unique_ptr<char, OpenSslDeleter<free_openssl_string>>;

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error("test pki: " + what + ": " + crypto::openssl_reason());
}

void check(bool ok, const char* what) {
  if (!ok) fail(what);
}

BioPtr new_memory_bio() {
  BioPtr bio(BIO_new(BIO_s_mem()));
  check(bio != nullptr, "BIO_new");
  return bio;
}

std::string drain(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

// Runs a PEM/DER writer against a memory BIO and returns what it wrote.
template <typename Write>
std::string write_to_string(Write write, const char* what) {
  BioPtr bio = new_memory_bio();
  check(write(bio.get()) == 1, what);
  return drain(bio.get());
}

KeyPair to_key_pair(EvpPkeyPtr key) {
  KeyPair pair;
  pair.private_pem = write_to_string(
      [&](BIO* b) {
        return PEM_write_bio_PKCS8PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
      },
      "PEM_write_bio_PKCS8PrivateKey");
  pair.public_pem = write_to_string([&](BIO* b) { return PEM_write_bio_PUBKEY(b, key.get()); },
                                    "PEM_write_bio_PUBKEY");
  pair.key = crypto::share(std::move(key));
  return pair;
}

std::string serial_of(X509* cert) {
  BignumPtr bn(ASN1_INTEGER_to_BN(X509_get_serialNumber(cert), nullptr));
  check(bn != nullptr, "ASN1_INTEGER_to_BN");
  OpenSslString hex(BN_bn2hex(bn.get()));
  check(hex != nullptr, "BN_bn2hex");
  return hex.get();
}

void set_serial(X509* cert, const std::string& serial_hex) {
  BIGNUM* raw = nullptr;
  if (serial_hex.empty()) {
    raw = BN_new();
    // 160 bits with the top bit set: always 40 hex digits, like WeChat Pay's serials.
    check(raw && BN_rand(raw, 160, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) == 1, "BN_rand");
  } else {
    check(BN_hex2bn(&raw, serial_hex.c_str()) == static_cast<int>(serial_hex.size()),
          "serial is not hex");
  }
  BignumPtr bn(raw);
  Asn1IntegerPtr serial(BN_to_ASN1_INTEGER(bn.get(), nullptr));
  check(serial && X509_set_serialNumber(cert, serial.get()) == 1, "X509_set_serialNumber");
}

void set_name(X509* cert, const CertificateSpec& spec) {
  X509_NAME* name = X509_get_subject_name(cert);
  auto add = [name](const char* field, const std::string& value) {
    if (value.empty()) return;
    check(X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                     reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1,
                                     0) == 1,
          "X509_NAME_add_entry_by_txt");
  };
  add("O", spec.organization);
  add("OU", spec.organizational_unit);
  add("CN", spec.common_name);
}

void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  check(ext && X509_add_ext(cert, ext.get(), -1) == 1, "X509V3_EXT_conf_nid");
}

std::string subject_alt_names(const CertificateSpec& spec) {
  std::string names;
  auto append = [&names](const char* kind, const std::string& value) {
    names += (names.empty() ? "" : ",") + std::string(kind) + ":" + value;
  };
  for (const auto& dns : spec.dns_names) append("DNS", dns);
  for (const auto& ip : spec.ip_addresses) append("IP", ip);
  return names;
}

// Builds and signs a certificate; `issuer` null means self-signed (the CA itself).
Certificate build(const CertificateSpec& spec, const KeyPair& subject, const Certificate* issuer,
                  const KeyPair& signer) {
  X509Ptr cert(X509_new());
  check(cert && X509_set_version(cert.get(), X509_VERSION_3) == 1, "X509_new");
  set_serial(cert.get(), spec.serial_hex);
  check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), spec.valid_from.count()) != nullptr &&
            X509_gmtime_adj(X509_getm_notAfter(cert.get()), spec.valid_until.count()) != nullptr,
        "X509_gmtime_adj");
  set_name(cert.get(), spec);
  X509* issuer_cert = issuer ? issuer->x509.get() : cert.get();
  check(X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer_cert)) == 1 &&
            X509_set_pubkey(cert.get(), subject.key.get()) == 1,
        "X509_set_issuer_name");

  add_extension(cert.get(), issuer_cert, NID_subject_key_identifier, "hash");
  add_extension(cert.get(), issuer_cert, NID_authority_key_identifier, "keyid:always");
  if (issuer) {
    add_extension(cert.get(), issuer_cert, NID_basic_constraints, "critical,CA:FALSE");
    add_extension(cert.get(), issuer_cert, NID_key_usage,
                  "critical,digitalSignature,nonRepudiation,keyEncipherment");
    add_extension(cert.get(), issuer_cert, NID_ext_key_usage, "serverAuth,clientAuth");
    if (std::string san = subject_alt_names(spec); !san.empty()) {
      add_extension(cert.get(), issuer_cert, NID_subject_alt_name, san);
    }
  } else {
    add_extension(cert.get(), issuer_cert, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert.get(), issuer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  }
  check(X509_sign(cert.get(), signer.key.get(), EVP_sha256()) > 0, "X509_sign");

  Certificate result;
  result.pem = write_to_string([&](BIO* b) { return PEM_write_bio_X509(b, cert.get()); },
                               "PEM_write_bio_X509");
  result.serial_hex = serial_of(cert.get());
  result.key = subject;
  result.x509 = std::shared_ptr<X509>(cert.release(), X509_free);
  return result;
}

}  // namespace

std::string KeyPair::encrypted_private_pem(const std::string& passphrase) const {
  return write_to_string(
      [&](BIO* b) {
        return PEM_write_bio_PKCS8PrivateKey(b, key.get(), EVP_aes_256_cbc(), passphrase.data(),
                                             static_cast<int>(passphrase.size()), nullptr, nullptr);
      },
      "PEM_write_bio_PKCS8PrivateKey");
}

KeyPair generate_rsa_key(int bits) {
  EvpPkeyPtr key(EVP_RSA_gen(static_cast<unsigned>(bits)));
  check(key != nullptr, "EVP_RSA_gen");
  return to_key_pair(std::move(key));
}

const KeyPair& cached_rsa_key(std::string_view name) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<KeyPair>, std::less<>> keys;
  std::lock_guard lock(mutex);
  auto it = keys.find(name);
  if (it == keys.end()) {
    it = keys.emplace(std::string(name), std::make_unique<KeyPair>(generate_rsa_key())).first;
  }
  return *it->second;
}

CertificateAuthority::CertificateAuthority(std::string common_name, const KeyPair& key) {
  CertificateSpec spec;
  spec.common_name = std::move(common_name);
  spec.organization = "wechatpay-cpp tests";
  spec.valid_until = std::chrono::hours(24 * 365 * 10);
  certificate_ = build(spec, key, nullptr, key);
}

CertificateAuthority CertificateAuthority::load(const std::string& certificate_pem,
                                                const std::string& private_key_pem) {
  auto cert_bio = crypto::memory_bio(certificate_pem.data(), certificate_pem.size());
  auto key_bio = crypto::memory_bio(private_key_pem.data(), private_key_pem.size());
  X509Ptr cert(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
  check(cert != nullptr, "PEM_read_bio_X509");
  EvpPkeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  check(key != nullptr, "PEM_read_bio_PrivateKey");
  Certificate certificate;
  certificate.pem = certificate_pem;
  certificate.serial_hex = serial_of(cert.get());
  certificate.key = to_key_pair(std::move(key));
  certificate.x509 = std::shared_ptr<X509>(cert.release(), X509_free);
  return CertificateAuthority(std::move(certificate));
}

Certificate CertificateAuthority::issue(const CertificateSpec& spec,
                                        const KeyPair& subject_key) const {
  return build(spec, subject_key, &certificate_, certificate_.key);
}

const CertificateAuthority& shared_ca() {
  static const CertificateAuthority ca;
  return ca;
}

Certificate make_server_certificate(const CertificateAuthority& ca, const KeyPair& key) {
  CertificateSpec spec;
  spec.common_name = "localhost";
  spec.dns_names = {"localhost"};
  spec.ip_addresses = {"127.0.0.1"};
  return ca.issue(spec, key);
}

Certificate make_client_certificate(std::string common_name, const CertificateAuthority& ca,
                                    const KeyPair& key) {
  CertificateSpec spec;
  spec.common_name = std::move(common_name);
  return ca.issue(spec, key);
}

Certificate make_merchant_certificate(std::string serial_hex, std::string mchid, const KeyPair& key,
                                      const CertificateAuthority& ca) {
  CertificateSpec spec;
  spec.common_name = std::move(mchid);
  spec.organization = "test merchant";
  spec.organizational_unit = "Tenpay.com";
  spec.serial_hex = std::move(serial_hex);
  return ca.issue(spec, key);
}

Certificate make_platform_certificate(std::string serial_hex, const KeyPair& key,
                                      const CertificateAuthority& ca) {
  CertificateSpec spec;
  spec.common_name = "Tenpay.com Root CA";
  spec.organization = "Tenpay.com";
  spec.organizational_unit = "Tenpay.com CA Center";
  spec.serial_hex = std::move(serial_hex);
  return ca.issue(spec, key);
}

std::string to_pkcs12(const Certificate& certificate, const std::string& password) {
  Pkcs12Ptr p12(PKCS12_create(password.c_str(), "test", certificate.key.key.get(),
                              certificate.x509.get(), nullptr, 0, 0, 0, 0, 0));
  check(p12 != nullptr, "PKCS12_create");
  return write_to_string([&](BIO* b) { return i2d_PKCS12_bio(b, p12.get()); }, "i2d_PKCS12_bio");
}

}  // namespace wechatpay::pki
