#include "wechatpay/crypto/aes_ecb.hpp"

#include <climits>

#include <openssl/evp.h>

#include "crypto/openssl_ptr.hpp"
#include "wechatpay/crypto/encoding.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::crypto {
namespace {

constexpr std::size_t kKeySize = 32;
constexpr std::size_t kBlockSize = 16;

// One EVP pass over `input`; PKCS#7 padding is EVP's default for ECB.
std::string run_cipher(std::string_view key, std::string_view input, bool encrypt,
                       const char* what) {
  if (key.size() != kKeySize) throw CryptoError(std::string(what) + ": the key must be 32 bytes");
  if (input.size() > INT_MAX - kBlockSize) throw CryptoError(std::string(what) + ": too long");
  EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx || EVP_CipherInit_ex(ctx.get(), EVP_aes_256_ecb(), nullptr,
                                reinterpret_cast<const unsigned char*>(key.data()), nullptr,
                                encrypt ? 1 : 0) != 1) {
    throw_openssl_error(what);
  }
  std::string out(input.size() + kBlockSize, '\0');
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  int len = 0;
  if (EVP_CipherUpdate(ctx.get(), dst, &len, reinterpret_cast<const unsigned char*>(input.data()),
                       static_cast<int>(input.size())) != 1) {
    throw_openssl_error(what);
  }
  int tail = 0;
  if (EVP_CipherFinal_ex(ctx.get(), dst + len, &tail) != 1) throw_openssl_error(what);
  out.resize(static_cast<std::size_t>(len + tail));
  return out;
}

}  // namespace

std::string aes_256_ecb_encrypt(std::string_view key, std::string_view plaintext) {
  return base64_encode(run_cipher(key, plaintext, true, "AES-256-ECB encrypt"));
}

std::string aes_256_ecb_decrypt(std::string_view key, std::string_view ciphertext_base64) {
  const std::string ciphertext = base64_decode(ciphertext_base64);
  if (ciphertext.empty() || ciphertext.size() % kBlockSize != 0) {
    throw CryptoError("AES-256-ECB decrypt: the ciphertext is not a whole number of blocks");
  }
  return run_cipher(key, ciphertext, false, "AES-256-ECB decrypt");
}

}  // namespace wechatpay::crypto
