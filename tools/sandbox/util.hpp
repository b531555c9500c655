// Small helpers shared by the sandbox's handlers: clocks, identifiers, WeChat's time formats.
#pragma once

#include <cstdint>
#include <string>

namespace wechatpay::sandbox {

std::int64_t now_seconds();
// "2018-06-08T10:34:56+08:00": RFC 3339 in Beijing time, as APIv3 writes times.
std::string rfc3339_beijing(std::int64_t seconds);
// "20180608103456": APIv2's time_end.
std::string compact_beijing(std::int64_t seconds);
// `count` random decimal digits (identifiers such as transaction_id; not secrets).
std::string random_digits(std::size_t count);

}  // namespace wechatpay::sandbox
