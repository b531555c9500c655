// Loading RSA keys and X.509 certificates. A key "spec" is any of:
//   file:///path/to/key.pem            (the file's contents, then as below)
//   private.pkcs1://BASE64-DER         private.pkcs8://BASE64-DER
//   public.pkcs1://BASE64-DER          public.spki://BASE64-DER
//   PEM text: PKCS#1 / PKCS#8 (optionally encrypted) private key, SPKI or "RSA PUBLIC KEY"
//   public key, or an X.509 certificate (its public key).
// Errors are CryptoError; messages never contain key material. Every RSA key must have at least
// kMinRsaBits bits.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <openssl/types.h>

#include "wechatpay/export.hpp"

namespace wechatpay::crypto {

// The smallest RSA modulus accepted anywhere (merchant key, platform keys and certificates,
// downloaded certificates): WeChat Pay signs with RSA-2048 (WECHATPAY2-SHA256-RSA2048) and NIST
// SP 800-57 retired smaller moduli; 1024 bits are within reach of factoring, 512 bits cheap.
inline constexpr int kMinRsaBits = 2048;

class WECHATPAY_EXPORT PrivateKey {
 public:
  PrivateKey() = default;
  // Loads an RSA private key; `passphrase` decrypts an encrypted PKCS#8 PEM.
  static PrivateKey load(std::string_view spec, std::string_view passphrase = {});
  explicit operator bool() const { return key_ != nullptr; }
  EVP_PKEY* get() const { return key_.get(); }
  int bits() const;

 private:
  explicit PrivateKey(std::shared_ptr<EVP_PKEY> key) : key_(std::move(key)) {}
  std::shared_ptr<EVP_PKEY> key_;
  friend class PublicKey;
};

class WECHATPAY_EXPORT PublicKey {
 public:
  PublicKey() = default;
  // Loads an RSA public key, or the public key of an X.509 certificate.
  static PublicKey load(std::string_view spec);
  // The public half of a private key.
  static PublicKey of(const PrivateKey& key);
  explicit operator bool() const { return key_ != nullptr; }
  EVP_PKEY* get() const { return key_.get(); }
  int bits() const;
  // SPKI PEM ("-----BEGIN PUBLIC KEY-----").
  std::string pem() const;

 private:
  explicit PublicKey(std::shared_ptr<EVP_PKEY> key) : key_(std::move(key)) {}
  std::shared_ptr<EVP_PKEY> key_;
  friend struct Certificate;
};

struct WECHATPAY_EXPORT Certificate {
  PublicKey key;
  std::string serial;           // upper-case hex, no leading zeros stripped beyond OpenSSL's
  std::int64_t not_before = 0;  // seconds since the epoch
  std::int64_t not_after = 0;
  std::string pem;

  // Loads a PEM certificate (or file:// spec of one); CryptoError if it is not one.
  static Certificate load(std::string_view spec);
};

// True when `spec` looks like a certificate (PEM text or a file holding one).
WECHATPAY_EXPORT bool is_certificate(std::string_view spec);

// The contents a spec refers to: a file:// spec's file, otherwise the spec itself.
WECHATPAY_EXPORT std::string read_spec(std::string_view spec);

}  // namespace wechatpay::crypto
