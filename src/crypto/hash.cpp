#include "wechatpay/crypto/hash.hpp"

#include <climits>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "crypto/openssl_ptr.hpp"
#include "wechatpay/crypto/encoding.hpp"

namespace wechatpay::crypto {
namespace {

std::string digest(const EVP_MD* md, const char* name, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (md == nullptr || EVP_Digest(bytes_of(data), data.size(), out, &len, md, nullptr) != 1) {
    throw_openssl_error(std::string(name) + " digest");
  }
  return std::string(reinterpret_cast<const char*>(out), len);
}

}  // namespace

std::string sha256(std::string_view data) {
  return digest(EVP_sha256(), "SHA-256", data);
}

std::string sha256_hex(std::string_view data) {
  return hex_encode(sha256(data));
}

std::string sha1_hex(std::string_view data) {
  return hex_encode(digest(EVP_sha1(), "SHA-1", data));
}

std::string md5_hex(std::string_view data) {
  return hex_encode(digest(EVP_md5(), "MD5", data));
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  if (key.size() > INT_MAX) throw CryptoError("HMAC-SHA256: key too long");
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), bytes_of(key), static_cast<int>(key.size()), bytes_of(data), data.size(),
           out, &len) == nullptr) {
    throw_openssl_error("HMAC-SHA256");
  }
  return hex_encode(std::string_view(reinterpret_cast<const char*>(out), len));
}

bool constant_time_equals(std::string_view a, std::string_view b) noexcept {
  // The length is not secret (signatures and digests have fixed sizes); only the content is.
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(bytes_of(a), bytes_of(b), a.size()) == 0;
}

struct Digest::State {
  EvpMdCtxPtr ctx{EVP_MD_CTX_new()};
  std::string name;
};

Digest::Digest(std::string_view algorithm) : state_(std::make_unique<State>()) {
  state_->name = std::string(algorithm);
  const EVP_MD* md = EVP_get_digestbyname(state_->name.c_str());
  if (md == nullptr) throw CryptoError("unknown digest " + state_->name);
  if (!state_->ctx || EVP_DigestInit_ex(state_->ctx.get(), md, nullptr) != 1) {
    throw_openssl_error(state_->name + " digest");
  }
}

Digest::~Digest() = default;
Digest::Digest(Digest&&) noexcept = default;
Digest& Digest::operator=(Digest&&) noexcept = default;

void Digest::update(std::string_view data) {
  if (EVP_DigestUpdate(state_->ctx.get(), data.data(), data.size()) != 1) {
    throw_openssl_error(state_->name + " digest");
  }
}

std::string Digest::hex_final() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(state_->ctx.get(), out, &len) != 1) {
    throw_openssl_error(state_->name + " digest");
  }
  return hex_encode(std::string_view(reinterpret_cast<const char*>(out), len));
}

}  // namespace wechatpay::crypto
