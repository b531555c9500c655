// Digests and MACs, returned as hex (APIv2 signatures, bill hashes, media meta).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "wechatpay/export.hpp"

namespace wechatpay::crypto {

WECHATPAY_EXPORT std::string sha256(std::string_view data);  // raw bytes
WECHATPAY_EXPORT std::string sha256_hex(std::string_view data);
WECHATPAY_EXPORT std::string sha1_hex(std::string_view data);
WECHATPAY_EXPORT std::string md5_hex(std::string_view data);
WECHATPAY_EXPORT std::string hmac_sha256_hex(std::string_view key, std::string_view data);
// Compares in time independent of where the inputs differ.
WECHATPAY_EXPORT bool constant_time_equals(std::string_view a, std::string_view b) noexcept;

// An incremental digest, for data that arrives in pieces (a bill streamed to disk).
class WECHATPAY_EXPORT Digest {
 public:
  // `algorithm` is an OpenSSL digest name: "SHA1", "SHA256", "MD5"; CryptoError if unknown.
  explicit Digest(std::string_view algorithm);
  ~Digest();
  Digest(Digest&&) noexcept;
  Digest& operator=(Digest&&) noexcept;
  void update(std::string_view data);
  // The lower-case hex digest; the object cannot be updated afterwards.
  std::string hex_final();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace wechatpay::crypto
