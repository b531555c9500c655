// A captured HTTP request as text (request line, header lines, blank line, body), as saved from
// a webhook receiver. Read with a small line parser: this is a file, not a network protocol.
#pragma once

#include <string>
#include <string_view>

#include "wechatpay/headers.hpp"

namespace wxpay {

struct CapturedRequest {
  std::string request_line;  // "POST /notify HTTP/1.1"; empty with `headers_only`
  wechatpay::Headers headers;
  std::string body;  // the bytes after the blank line, cut to Content-Length when given
};

// Lines end in CRLF or LF; folded header lines continue the previous one. With `headers_only`
// the text starts at the headers (no request line). InputError for a missing request line or
// blank line, a header line without ':', a body shorter than Content-Length, or a chunked body.
CapturedRequest parse_captured_request(std::string_view text, bool headers_only);

}  // namespace wxpay
