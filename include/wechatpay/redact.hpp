// What may be shown of a request in logs and traces, as the logging middleware shows it: no
// signature, no APIv2 `sign`. For tools that print requests (wxpay -v).
#pragma once

#include <string>
#include <string_view>

#include "wechatpay/export.hpp"

namespace wechatpay {

// The URL with every `sign` / `paySign` query value replaced by "***".
WECHATPAY_EXPORT std::string redacted_url(std::string_view url);
// A header's value fit to print: Authorization reduced to scheme, mchid and serial_no,
// Proxy-Authorization and Cookie as "***", any other header as is.
WECHATPAY_EXPORT std::string redacted_header(std::string_view name, std::string_view value);

}  // namespace wechatpay
