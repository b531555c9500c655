// RAII ownership of OpenSSL objects, and the error text of OpenSSL's queue.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "free_with.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::crypto {

template <auto Free>
using OpenSslDeleter = detail::FreeWith<Free>;

using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO_free_all>>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY_free>>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpenSslDeleter<EVP_PKEY_CTX_free>>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpenSslDeleter<EVP_MD_CTX_free>>;
using EvpCipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, OpenSslDeleter<EVP_CIPHER_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, OpenSslDeleter<X509_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, OpenSslDeleter<BN_free>>;
using Asn1TimePtr = std::unique_ptr<ASN1_TIME, OpenSslDeleter<ASN1_TIME_free>>;
using Pkcs8Ptr = std::unique_ptr<PKCS8_PRIV_KEY_INFO, OpenSslDeleter<PKCS8_PRIV_KEY_INFO_free>>;
using DecoderCtxPtr = std::unique_ptr<OSSL_DECODER_CTX, OpenSslDeleter<OSSL_DECODER_CTX_free>>;
// OPENSSL_free is a macro, so it needs a function to be a deleter.
inline void openssl_free(char* p) noexcept {
  OPENSSL_free(p);
}
using OpenSslStringPtr = std::unique_ptr<char, OpenSslDeleter<openssl_free>>;

// The bytes of `data` as OpenSSL wants them. Some OpenSSL paths reject a null pointer even with
// a zero length, and an empty string_view may be null, so empty input gets a valid address.
inline const unsigned char* bytes_of(std::string_view data) noexcept {
  static constexpr unsigned char kEmpty = 0;
  return data.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(data.data());
}

// Shared ownership for keys handed out to callers (EVP_PKEY is safe to share read-only).
inline std::shared_ptr<EVP_PKEY> share(EvpPkeyPtr key) {
  return std::shared_ptr<EVP_PKEY>(key.release(), EVP_PKEY_free);
}

// A memory BIO reading `data` (not copied: `data` must outlive the BIO).
inline BioPtr memory_bio(const void* data, std::size_t size) {
  return BioPtr(BIO_new_mem_buf(data, static_cast<int>(size)));
}

// The reason of the oldest queued OpenSSL error (e.g. "bad decrypt"), then clears the queue.
// Reasons describe failures, never data, so they are safe in messages.
inline std::string openssl_reason() {
  unsigned long code = ERR_peek_error();
  const char* reason = code ? ERR_reason_error_string(code) : nullptr;
  std::string text = reason ? reason : "unknown OpenSSL error";
  ERR_clear_error();
  return text;
}

// Throws CryptoError "<what>: <OpenSSL reason>" and leaves the error queue empty. `what` must
// describe the operation only, never the data it worked on.
[[noreturn]] inline void throw_openssl_error(const std::string& what) {
  throw CryptoError(what + ": " + openssl_reason());
}

}  // namespace wechatpay::crypto
