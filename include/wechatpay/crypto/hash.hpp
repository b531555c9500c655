// Digests and MACs, returned as hex (APIv2 signatures, bill hashes, media meta).
#pragma once

#include <string>
#include <string_view>

namespace wechatpay::crypto {

std::string sha256(std::string_view data);  // raw bytes
std::string sha256_hex(std::string_view data);
std::string sha1_hex(std::string_view data);
std::string md5_hex(std::string_view data);
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
// Compares in time independent of where the inputs differ.
bool constant_time_equals(std::string_view a, std::string_view b) noexcept;

}  // namespace wechatpay::crypto
