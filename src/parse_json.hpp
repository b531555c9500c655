// The one place where JSON received from outside (answers, error bodies, notifications, their
// decrypted resources) is parsed, so limits on untrusted input apply to all of it. Internal.
#pragma once

#include <string_view>

#include <rapidjson/document.h>

namespace wechatpay::detail {

// Parses `text`; wechatpay::Error "<subject> is not valid JSON: <reason> at offset N" otherwise.
rapidjson::Document parse_received_json(std::string_view text, std::string_view subject);

}  // namespace wechatpay::detail
