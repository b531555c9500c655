// Finding the values a contract marks encrypted, at any depth and inside arrays of objects: the
// client encrypts request fields and decrypts answer fields with these; a server does the
// reverse.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "wechatpay/contracts/field.hpp"
#include "wechatpay/crypto/keys.hpp"
#include "wechatpay/export.hpp"

namespace wechatpay::contracts {

// Calls `visit(path, value)` for each value present in `document` whose field is marked
// `encryption`; paths index arrays: "beneficial_owner[1].beneficial_owner_name".
WECHATPAY_EXPORT void for_each_encrypted(
    const std::vector<Field>& fields, rapidjson::Value& document, Encryption encryption,
    const std::function<void(const std::string& path, rapidjson::Value& value)>& visit);

// Whether `value` already is RSA ciphertext for `key`: base64 that decodes to exactly the key's
// modulus size. A plaintext of that shape would have to be 344 base64 characters long.
WECHATPAY_EXPORT bool is_ciphertext_for(const crypto::PublicKey& key, std::string_view value);

}  // namespace wechatpay::contracts
