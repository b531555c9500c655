// RFC 6570 URI templates (the {var} and {+var} forms WeChat Pay paths use) and RFC 3986
// query encoding.
#pragma once

#include <string>
#include <string_view>

#include "wechatpay/options.hpp"

namespace wechatpay::detail {

// Percent-encodes every byte outside the unreserved set (ALPHA DIGIT - . _ ~); with
// `allow_reserved`, reserved characters and existing %XX triplets pass through as well.
std::string percent_encode(std::string_view value, bool allow_reserved = false);

// Expands `{name}` (encoded) and `{+name}` (reserved kept) from `params`; a missing name
// expands to "". A malformed or unsupported expression, or a result over 64 KiB, is a
// ConfigError.
std::string expand_uri_template(std::string_view uri_template, const Params& params);

// The request path from `uri_template` and `params`, checked so that what libcurl sends is what
// the signer signs: RFC 3986 path characters only (unreserved, %XX, sub-delims, ':', '@', '/'),
// and no "." or ".." segment, written or percent-encoded. libcurl would resolve dot segments,
// stop at a NUL, read '?' or '#' as a query or fragment, and encode or refuse the rest.
// ConfigError (field "path") naming the offending segment otherwise.
std::string expand_request_path(std::string_view uri_template, const Params& params);

// `method` must be an HTTP token (RFC 9110 tchar): a space, CR or LF would rewrite the request
// line. ConfigError (field "method") otherwise.
void check_method(std::string_view method);

// "k1=v1&k2=v2" with keys and values RFC 3986 encoded, in the given order.
std::string encode_query(const Query& query);

}  // namespace wechatpay::detail
