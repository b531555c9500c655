// Base64 and hex, through OpenSSL's codecs.
#pragma once

#include <string>
#include <string_view>

namespace wechatpay::crypto {

std::string base64_encode(std::string_view bytes);
// Standard alphabet with padding; CryptoError on anything else.
std::string base64_decode(std::string_view text);
std::string hex_encode(std::string_view bytes, bool upper = false);

}  // namespace wechatpay::crypto
