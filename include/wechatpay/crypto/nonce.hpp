// Random nonces from OpenSSL's CSPRNG.
#pragma once

#include <cstddef>
#include <string>

#include "wechatpay/export.hpp"

namespace wechatpay::crypto {

// `length` characters from [0-9A-Za-z], uniformly (rejection sampling, no modulo bias).
WECHATPAY_EXPORT std::string nonce(std::size_t length = 32);

}  // namespace wechatpay::crypto
