// Test keys and certificates generated in-process with OpenSSL 3: RSA-2048 key pairs, a test
// CA, and leaf certificates for TLS servers, TLS clients, merchants and the WeChat Pay platform.
// For tests and the local sandbox only: never linked into the library.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <openssl/evp.h>
#include <openssl/x509.h>

namespace wechatpay::pki {

struct KeyPair {
  std::shared_ptr<EVP_PKEY> key;
  std::string private_pem;  // PKCS#8, "-----BEGIN PRIVATE KEY-----" (like apiclient_key.pem)
  std::string public_pem;   // SubjectPublicKeyInfo, "-----BEGIN PUBLIC KEY-----"

  // The private key as PKCS#8 encrypted with AES-256-CBC under `passphrase`.
  std::string encrypted_private_pem(const std::string& passphrase) const;
};

// A fresh RSA key pair (~50-100 ms for 2048 bits).
KeyPair generate_rsa_key(int bits = 2048);
// The same key for the same name for the whole process; use it wherever a test does not
// need a key of its own.
const KeyPair& cached_rsa_key(std::string_view name);

struct CertificateSpec {
  std::string common_name = "localhost";
  std::string organization;         // O=, omitted when empty
  std::string organizational_unit;  // OU=, omitted when empty
  std::string serial_hex;           // empty: a random 40-hex-digit serial, as WeChat Pay uses
  // Validity relative to now; make both negative for an expired certificate.
  std::chrono::seconds valid_from = -std::chrono::hours(1);
  std::chrono::seconds valid_until = std::chrono::hours(24 * 365);
  std::vector<std::string> dns_names;     // subjectAltName DNS: entries
  std::vector<std::string> ip_addresses;  // subjectAltName IP: entries
};

struct Certificate {
  std::shared_ptr<X509> x509;
  std::string pem;
  std::string serial_hex;  // upper case, without leading zeros (as OpenSSL prints it)
  KeyPair key;             // the subject's key pair
};

class CertificateAuthority {
 public:
  explicit CertificateAuthority(std::string common_name = "wechatpay-cpp test CA",
                                const KeyPair& key = cached_rsa_key("ca"));
  // An existing CA from its PEM certificate and PEM private key (a sandbox's saved CA, which
  // keeps issuing after a restart); std::runtime_error if either does not load.
  static CertificateAuthority load(const std::string& certificate_pem,
                                   const std::string& private_key_pem);

  const Certificate& certificate() const { return certificate_; }
  const std::string& pem() const { return certificate_.pem; }

  // A leaf certificate for `subject_key`, signed by this CA (SHA-256), usable for TLS server
  // and client authentication and for signatures.
  Certificate issue(const CertificateSpec& spec, const KeyPair& subject_key) const;

 private:
  explicit CertificateAuthority(Certificate certificate) : certificate_(std::move(certificate)) {}
  Certificate certificate_;
};

// A process-wide CA, made on first use: for tests and throwaway servers.
const CertificateAuthority& shared_ca();

// CN=localhost with SAN DNS:localhost, IP:127.0.0.1, for TLS servers on 127.0.0.1.
Certificate make_server_certificate(const CertificateAuthority& ca = shared_ca(),
                                    const KeyPair& key = cached_rsa_key("tls-server"));
// A TLS client certificate (mutual TLS).
Certificate make_client_certificate(std::string common_name = "test client",
                                    const CertificateAuthority& ca = shared_ca(),
                                    const KeyPair& key = cached_rsa_key("tls-client"));
// A merchant API certificate (apiclient_cert.pem): CN is the merchant id.
Certificate make_merchant_certificate(std::string serial_hex, std::string mchid = "1900000001",
                                      const KeyPair& key = cached_rsa_key("merchant"),
                                      const CertificateAuthority& ca = shared_ca());
// A WeChat Pay platform certificate with the given serial.
Certificate make_platform_certificate(std::string serial_hex,
                                      const KeyPair& key = cached_rsa_key("platform"),
                                      const CertificateAuthority& ca = shared_ca());

// The certificate and its key as a DER PKCS#12 bundle (like apiclient_cert.p12).
std::string to_pkcs12(const Certificate& certificate, const std::string& password);

}  // namespace wechatpay::pki
