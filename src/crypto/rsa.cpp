#include "wechatpay/crypto/rsa.hpp"

#include <openssl/rsa.h>

#include <vector>

#include "crypto/openssl_ptr.hpp"
#include "wechatpay/crypto/encoding.hpp"

namespace wechatpay::crypto {
namespace {

// A digest context set up for SHA256withRSA (PKCS#1 v1.5) with `key`; CryptoError if the key
// cannot be used that way.
template <typename Init>
EvpMdCtxPtr sha256_rsa_context(EVP_PKEY* key, Init init, const char* what) {
  if (key == nullptr) throw CryptoError(std::string(what) + ": no key");
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pkey_ctx = nullptr;  // owned by ctx
  if (!ctx || init(ctx.get(), &pkey_ctx, EVP_sha256(), nullptr, key) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(pkey_ctx, RSA_PKCS1_PADDING) <= 0) {
    throw_openssl_error(what);
  }
  return ctx;
}

// OpenSSL 3 builds a signature context from nothing on every EVP_DigestSignInit (algorithm
// fetch, provider context, key export lookup): that costs about as much as an RSA verify.
// Copying a prepared context skips it. Each thread keeps its own (a context is not shared
// between threads) for its few most recent keys; an entry holds a reference to its key, so a
// cached address always names the same live key.
class PreparedContexts {
 public:
  // A fresh context for one signature operation with `key`, copied from the prepared one.
  template <typename Init>
  EvpMdCtxPtr copy_for(EVP_PKEY* key, Init init, const char* what) {
    if (key == nullptr) throw CryptoError(std::string(what) + ": no key");
    const EVP_MD_CTX* prepared = find_or_prepare(key, init, what);
    EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_MD_CTX_copy_ex(ctx.get(), prepared) != 1) throw_openssl_error(what);
    // The context is used once: let the final step work on it instead of on a copy.
    EVP_MD_CTX_set_flags(ctx.get(), EVP_MD_CTX_FLAG_FINALISE);
    return ctx;
  }

 private:
  static constexpr std::size_t kKeysPerThread = 4;
  struct Entry {
    EVP_PKEY* key;
    const void* init;  // sign or verify
    EvpMdCtxPtr ctx;
  };

  template <typename Init>
  const EVP_MD_CTX* find_or_prepare(EVP_PKEY* key, Init init, const char* what) {
    const void* kind = reinterpret_cast<const void*>(init);
    for (auto& entry : entries_) {
      if (entry.key == key && entry.init == kind) return entry.ctx.get();
    }
    if (entries_.size() == kKeysPerThread) entries_.erase(entries_.begin());
    entries_.push_back({key, kind, sha256_rsa_context(key, init, what)});
    return entries_.back().ctx.get();
  }

  std::vector<Entry> entries_;  // oldest first
};

EvpMdCtxPtr prepared_sha256_rsa_context(EVP_PKEY* key, auto init, const char* what) {
  thread_local PreparedContexts contexts;
  return contexts.copy_for(key, init, what);
}

// A key context set up for RSA-OAEP with SHA-1 and MGF1-SHA-1, both named explicitly rather
// than left to defaults.
EvpPkeyCtxPtr oaep_context(EVP_PKEY* key, int (*init)(EVP_PKEY_CTX*), const char* what) {
  if (key == nullptr) throw CryptoError(std::string(what) + ": no key");
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  if (!ctx || init(ctx.get()) <= 0 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) <= 0 ||
      EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), EVP_sha1()) <= 0 ||
      EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), EVP_sha1()) <= 0) {
    throw_openssl_error(what);
  }
  return ctx;
}

// Runs an EVP_PKEY encrypt/decrypt: asks for the output size, then fills it.
template <typename Op>
std::string pkey_transform(EVP_PKEY_CTX* ctx, Op op, std::string_view in, const char* what) {
  std::size_t size = 0;
  if (op(ctx, nullptr, &size, bytes_of(in), in.size()) <= 0) throw_openssl_error(what);
  std::string out(size, '\0');
  if (op(ctx, reinterpret_cast<unsigned char*>(out.data()), &size, bytes_of(in), in.size()) <= 0) {
    throw_openssl_error(what);
  }
  out.resize(size);
  return out;
}

}  // namespace

std::string rsa_sign_sha256(const PrivateKey& key, std::string_view message) {
  constexpr const char* kWhat = "SHA256withRSA sign";
  EvpMdCtxPtr ctx = prepared_sha256_rsa_context(key.get(), EVP_DigestSignInit, kWhat);
  std::size_t size = static_cast<std::size_t>(EVP_PKEY_get_size(key.get()));
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     bytes_of(message), message.size()) != 1) {
    throw_openssl_error(kWhat);
  }
  signature.resize(size);
  return base64_encode(signature);
}

bool rsa_verify_sha256(const PublicKey& key, std::string_view message,
                       std::string_view signature_base64) {
  EvpMdCtxPtr ctx =
      prepared_sha256_rsa_context(key.get(), EVP_DigestVerifyInit, "SHA256withRSA verify");
  std::string signature;
  try {
    signature = base64_decode(signature_base64);
  } catch (const CryptoError&) {
    return false;  // a malformed signature is a wrong signature
  }
  const int result = EVP_DigestVerify(ctx.get(), bytes_of(signature), signature.size(),
                                      bytes_of(message), message.size());
  // A mismatch queues errors (e.g. "bad signature"); they are an answer, not a failure.
  ERR_clear_error();
  return result == 1;
}

std::string rsa_oaep_encrypt(const PublicKey& key, std::string_view plaintext) {
  constexpr const char* kWhat = "RSA-OAEP encrypt";
  EvpPkeyCtxPtr ctx = oaep_context(key.get(), EVP_PKEY_encrypt_init, kWhat);
  return base64_encode(pkey_transform(ctx.get(), EVP_PKEY_encrypt, plaintext, kWhat));
}

std::string rsa_oaep_decrypt(const PrivateKey& key, std::string_view ciphertext_base64) {
  constexpr const char* kWhat = "RSA-OAEP decrypt";
  EvpPkeyCtxPtr ctx = oaep_context(key.get(), EVP_PKEY_decrypt_init, kWhat);
  std::string ciphertext;
  try {
    ciphertext = base64_decode(ciphertext_base64);
  } catch (const CryptoError&) {
    throw CryptoError(std::string(kWhat) + ": ciphertext is not valid base64");
  }
  return pkey_transform(ctx.get(), EVP_PKEY_decrypt, ciphertext, kWhat);
}

}  // namespace wechatpay::crypto
