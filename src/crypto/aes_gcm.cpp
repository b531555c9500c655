#include "wechatpay/crypto/aes_gcm.hpp"

#include <algorithm>
#include <climits>

#include "crypto/openssl_ptr.hpp"
#include "wechatpay/crypto/encoding.hpp"

namespace wechatpay::crypto {
namespace {

constexpr const char* kName = "AEAD_AES_256_GCM";
constexpr std::size_t kKeySize = 32;
constexpr std::size_t kTagSize = 16;

[[noreturn]] void fail(const std::string& what) {
  throw_openssl_error(kName + (": " + what));
}

// A context keyed for one message; the IV length follows the nonce, since WeChat Pay's nonces
// are text and need not be the 12-byte default.
EvpCipherCtxPtr gcm_context(bool encrypt, std::string_view key, std::string_view nonce) {
  if (key.size() != kKeySize) {
    throw CryptoError(std::string(kName) + ": key must be 32 bytes, got " +
                      std::to_string(key.size()));
  }
  if (nonce.empty() || nonce.size() > INT_MAX)
    throw CryptoError(std::string(kName) + ": bad nonce");
  EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx ||
      EVP_CipherInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr, encrypt ? 1 : 0) !=
          1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()),
                          nullptr) != 1 ||
      EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, bytes_of(key), bytes_of(nonce), -1) != 1) {
    fail("cannot initialise");
  }
  return ctx;
}

// Feeds `in` through EVP_CipherUpdate in int-sized pieces; `out` null means associated data.
void cipher_update(EVP_CIPHER_CTX* ctx, std::string_view in, unsigned char* out) {
  constexpr std::size_t kChunk = 1u << 30;
  for (std::size_t done = 0; done < in.size();) {
    const std::size_t n = std::min(kChunk, in.size() - done);
    int len = 0;
    if (EVP_CipherUpdate(ctx, out ? out + done : nullptr, &len, bytes_of(in) + done,
                         static_cast<int>(n)) != 1) {
      fail("update failed");
    }
    done += n;
  }
}

}  // namespace

std::string aes_256_gcm_encrypt(std::string_view key, std::string_view nonce,
                                std::string_view associated_data, std::string_view plaintext) {
  EvpCipherCtxPtr ctx = gcm_context(true, key, nonce);
  cipher_update(ctx.get(), associated_data, nullptr);
  // GCM is a stream mode: ciphertext is as long as the plaintext, then the tag follows.
  std::string sealed(plaintext.size() + kTagSize, '\0');
  auto* out = reinterpret_cast<unsigned char*>(sealed.data());
  cipher_update(ctx.get(), plaintext, out);
  int len = 0;
  if (EVP_CipherFinal_ex(ctx.get(), out + plaintext.size(), &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, out + plaintext.size()) != 1) {
    fail("encryption failed");
  }
  return base64_encode(sealed);
}

std::string aes_256_gcm_decrypt(std::string_view key, std::string_view nonce,
                                std::string_view associated_data,
                                std::string_view ciphertext_base64) {
  EvpCipherCtxPtr ctx = gcm_context(false, key, nonce);
  std::string sealed;
  try {
    sealed = base64_decode(ciphertext_base64);
  } catch (const CryptoError&) {
    throw CryptoError(std::string(kName) + ": ciphertext is not valid base64");
  }
  if (sealed.size() < kTagSize) throw CryptoError(std::string(kName) + ": ciphertext too short");
  const std::size_t size = sealed.size() - kTagSize;
  auto* tag = reinterpret_cast<unsigned char*>(sealed.data()) + size;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, tag) != 1) {
    fail("cannot set tag");
  }
  cipher_update(ctx.get(), associated_data, nullptr);
  std::string plaintext(size, '\0');
  cipher_update(ctx.get(), std::string_view(sealed).substr(0, size),
                reinterpret_cast<unsigned char*>(plaintext.data()));
  int len = 0;
  if (EVP_CipherFinal_ex(ctx.get(), nullptr, &len) != 1) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    ERR_clear_error();
    throw CryptoError(std::string(kName) +
                      ": authentication failed (wrong key, nonce or associated data, or the "
                      "ciphertext was altered)");
  }
  return plaintext;
}

}  // namespace wechatpay::crypto
