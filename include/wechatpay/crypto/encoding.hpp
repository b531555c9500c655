// Base64 and hex, through OpenSSL's codecs.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "wechatpay/export.hpp"

namespace wechatpay::crypto {

WECHATPAY_EXPORT std::string base64_encode(std::string_view bytes);
// Standard alphabet with padding; CryptoError on anything else.
WECHATPAY_EXPORT std::string base64_decode(std::string_view text);
// The size base64_decode(text) returns, without decoding; nullopt where it throws.
WECHATPAY_EXPORT std::optional<std::size_t> base64_decoded_size(std::string_view text);
WECHATPAY_EXPORT std::string hex_encode(std::string_view bytes, bool upper = false);

}  // namespace wechatpay::crypto
