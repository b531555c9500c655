// AES-256-ECB with PKCS#7 padding, as APIv2 refund notifications use it for `req_info`
// (the key there is the lower-case hex MD5 of the APIv2 key: 32 ASCII bytes). ECB is not
// authenticated: use it only where WeChat Pay's protocol requires it.
#pragma once

#include <string>
#include <string_view>

#include "wechatpay/export.hpp"

namespace wechatpay::crypto {

// `key` must be 32 bytes; returns base64 ciphertext. CryptoError on a wrong key size.
WECHATPAY_EXPORT std::string aes_256_ecb_encrypt(std::string_view key, std::string_view plaintext);
// CryptoError on a wrong key size, bad base64, a length that is not whole blocks, or bad padding.
WECHATPAY_EXPORT std::string aes_256_ecb_decrypt(std::string_view key,
                                                 std::string_view ciphertext_base64);

}  // namespace wechatpay::crypto
