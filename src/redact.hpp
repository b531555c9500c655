// What may be shown of a request in logs and error messages. Internal.
#pragma once

#include <string>
#include <string_view>

namespace wechatpay::detail {

// The URL with the value of every `sign`/`paySign` query parameter (APIv2 signed GETs) replaced
// by "***"; everything else kept.
std::string redact_url(std::string_view url);

// An APIv3 Authorization value as "SCHEME mchid=\"…\",serial_no=\"…\"": the signature (and the
// nonce and timestamp it covers) dropped. Anything unrecognised becomes "***".
std::string redact_authorization(std::string_view value);

}  // namespace wechatpay::detail
