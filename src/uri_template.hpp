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
// expands to "". A malformed or unsupported expression is a ConfigError.
std::string expand_uri_template(std::string_view uri_template, const Params& params);

// "k1=v1&k2=v2" with keys and values RFC 3986 encoded, in the given order.
std::string encode_query(const Query& query);

}  // namespace wechatpay::detail
