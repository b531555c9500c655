// What may be shown of a request in logs and error messages. Internal.
#pragma once

#include <string>
#include <string_view>

namespace wechatpay::detail {

// The rule for anything received (a header, a body field, a name) that goes into an error
// message: control characters become escapes (\r, \n, \t, \xNN), so a value cannot forge a log
// line or a terminal sequence, and at most `max_bytes` bytes of it are kept (cut before a UTF-8
// character, then "..."). Secrets never go in at all: they are not passed here.
std::string printable(std::string_view text, std::size_t max_bytes = 128);

// "METHOD url: " for a message about a request, its URL as redact_url shows it.
std::string describe_request(std::string_view method, std::string_view url);

// The URL with the value of every `sign`/`paySign` query parameter (APIv2 signed GETs) replaced
// by "***"; everything else kept.
std::string redact_url(std::string_view url);

// An APIv3 Authorization value as "SCHEME mchid=\"…\",serial_no=\"…\"": the signature (and the
// nonce and timestamp it covers) dropped. Anything unrecognised becomes "***".
std::string redact_authorization(std::string_view value);

}  // namespace wechatpay::detail
