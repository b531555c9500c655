// What a JSON error body says: {"code":…,"message":…,"detail":…} (APIv3, and the APIv2 endpoints
// that answer errors in JSON). Internal.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wechatpay::detail {

struct ErrorFields {
  std::string code, message, detail;  // a non-string member is kept as its JSON text
};

// The fields of a JSON object body; nullopt when the body is not one.
std::optional<ErrorFields> json_error_fields(std::string_view body);

}  // namespace wechatpay::detail
