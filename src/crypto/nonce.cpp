#include "wechatpay/crypto/nonce.hpp"

#include <algorithm>
#include <array>

#include <openssl/rand.h>

#include "crypto/openssl_ptr.hpp"

namespace wechatpay::crypto {

std::string nonce(std::size_t length) {
  static constexpr std::string_view kAlphabet =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  static_assert(kAlphabet.size() == 62);
  // 248 = 4 * 62: bytes below it map uniformly onto the alphabet; the rest are rejected.
  constexpr unsigned kLimit = 4 * kAlphabet.size();

  std::string out;
  out.reserve(length);
  std::array<unsigned char, 64> pool{};
  while (out.size() < length) {
    // About 3% of bytes are rejected, so a little headroom usually needs one draw.
    const std::size_t want = std::min(pool.size(), (length - out.size()) * 17 / 16 + 2);
    if (RAND_bytes(pool.data(), static_cast<int>(want)) != 1) throw_openssl_error("nonce");
    for (std::size_t i = 0; i < want && out.size() < length; ++i) {
      if (pool[i] < kLimit) out.push_back(kAlphabet[pool[i] % kAlphabet.size()]);
    }
  }
  return out;
}

}  // namespace wechatpay::crypto
