// APIv2 signatures: MD5 or HMAC-SHA256 over the sorted fields and the merchant's APIv2 key.
#pragma once

#include <string>
#include <string_view>

#include "wechatpay/export.hpp"
#include "wechatpay/v2/xml.hpp"

namespace wechatpay::v2 {

enum class SignType { kMd5, kHmacSha256 };

// "MD5" (also for an empty name) or "HMAC-SHA256"; ConfigError (field "sign_type") otherwise,
// so an unknown type never yields an empty or meaningless sign.
WECHATPAY_EXPORT SignType parse_sign_type(std::string_view name);
WECHATPAY_EXPORT std::string_view sign_type_name(SignType type) noexcept;

// "k1=v1&k2=v2": keys in byte order, `sign` and empty values skipped, nothing URL-encoded.
WECHATPAY_EXPORT std::string signing_string(const XmlFields& fields);

// Upper-case hex of MD5(signing_string + "&key=" + secret), or of HMAC-SHA256 keyed with the
// secret over the same string.
WECHATPAY_EXPORT std::string sign(const XmlFields& fields, std::string_view secret, SignType type);
// The type named by the fields' own `sign_type` (MD5 when absent).
WECHATPAY_EXPORT std::string sign(const XmlFields& fields, std::string_view secret);

// Checks the fields' `sign`: HMAC-SHA256 when it is 64 characters long, MD5 otherwise,
// compared in constant time. False when there is no `sign`.
WECHATPAY_EXPORT bool verify(const XmlFields& fields, std::string_view secret);
// As `verify`, with the type given (e.g. from a notification's `sign_type`).
WECHATPAY_EXPORT bool verify(const XmlFields& fields, std::string_view secret, SignType type);

// WeCom (企业微信) `workwx_sign`: upper-case MD5 of the sorted fields + "&secret=" + secret,
// where `secret` is the WeCom payment application's secret. Pass exactly the fields the
// endpoint's documentation lists; `sign` and `workwx_sign` themselves are skipped.
WECHATPAY_EXPORT std::string workwx_sign(const XmlFields& fields, std::string_view secret);

}  // namespace wechatpay::v2
