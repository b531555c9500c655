// Base64 and hex, through OpenSSL's codecs.
#pragma once

#include <string>
#include <string_view>

#include "wechatpay/export.hpp"

namespace wechatpay::crypto {

WECHATPAY_EXPORT std::string base64_encode(std::string_view bytes);
// Standard alphabet with padding; CryptoError on anything else.
WECHATPAY_EXPORT std::string base64_decode(std::string_view text);
WECHATPAY_EXPORT std::string hex_encode(std::string_view bytes, bool upper = false);

}  // namespace wechatpay::crypto
