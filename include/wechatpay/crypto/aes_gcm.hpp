// AEAD_AES_256_GCM as WeChat Pay uses it: a 32-byte APIv3 key, a 12-byte text nonce, the
// associated data, and base64 ciphertext with the 16-byte tag appended.
#pragma once

#include <string>
#include <string_view>

#include "wechatpay/export.hpp"

namespace wechatpay::crypto {

WECHATPAY_EXPORT std::string aes_256_gcm_encrypt(std::string_view key, std::string_view nonce,
                                                 std::string_view associated_data,
                                                 std::string_view plaintext);
// CryptoError on a wrong key size, bad base64 or a failed tag check.
WECHATPAY_EXPORT std::string aes_256_gcm_decrypt(std::string_view key, std::string_view nonce,
                                                 std::string_view associated_data,
                                                 std::string_view ciphertext_base64);

}  // namespace wechatpay::crypto
