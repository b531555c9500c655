// RSA operations WeChat Pay uses: SHA256withRSA (PKCS#1 v1.5) signatures and RSA-OAEP
// (SHA-1, MGF1-SHA-1) encryption of sensitive fields. All binary values are base64.
#pragma once

#include <string>
#include <string_view>

#include "wechatpay/crypto/keys.hpp"
#include "wechatpay/export.hpp"

namespace wechatpay::crypto {

WECHATPAY_EXPORT std::string rsa_sign_sha256(const PrivateKey& key, std::string_view message);
// False for a wrong or malformed signature; CryptoError only for an unusable key.
WECHATPAY_EXPORT bool rsa_verify_sha256(const PublicKey& key, std::string_view message,
                                        std::string_view signature_base64);
WECHATPAY_EXPORT std::string rsa_oaep_encrypt(const PublicKey& key, std::string_view plaintext);
WECHATPAY_EXPORT std::string rsa_oaep_decrypt(const PrivateKey& key,
                                              std::string_view ciphertext_base64);

}  // namespace wechatpay::crypto
