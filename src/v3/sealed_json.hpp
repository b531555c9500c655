// Reading the JSON WeChat Pay sends with AEAD_AES_256_GCM sealed parts (notifications'
// `resource`, /v3/certificates' `encrypt_certificate`). Internal.
#pragma once

#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace wechatpay::v3::detail {

// Parses `text` as a JSON object; wechatpay::Error naming `subject` otherwise.
rapidjson::Document parse_object(std::string_view text, std::string_view subject);
// The string member `name`; Error naming `subject` when absent or not a string.
std::string required_string(const rapidjson::Value& object, const char* name,
                            std::string_view subject);
// The string member `name`, or "" when absent or not a string.
std::string optional_string(const rapidjson::Value& object, const char* name);
// The object member `name`; Error naming `subject` when absent or not an object.
const rapidjson::Value& required_object(const rapidjson::Value& object, const char* name,
                                        std::string_view subject);

// Opens {"algorithm":"AEAD_AES_256_GCM","nonce":…,"associated_data":…,"ciphertext":…} with the
// APIv3 key. Error for another algorithm or missing fields; CryptoError when the tag fails.
std::string open_sealed(const rapidjson::Value& sealed, std::string_view apiv3_key,
                        std::string_view subject);

}  // namespace wechatpay::v3::detail
