// Random nonces from OpenSSL's CSPRNG.
#pragma once

#include <cstddef>
#include <string>

namespace wechatpay::crypto {

// `length` characters from [0-9A-Za-z], uniformly (rejection sampling, no modulo bias).
std::string nonce(std::size_t length = 32);

}  // namespace wechatpay::crypto
