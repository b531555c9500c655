// APIv3's security as WeChat Pay applies it: the merchant's Authorization on the way in, the
// Wechatpay-* signature on the way out (with the key the request's Wechatpay-Serial names).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <httplib.h>

#include "faults.hpp"
#include "sandbox.hpp"
#include "wechatpay/json.hpp"

namespace wechatpay::sandbox {

// "" when the request's Authorization is the merchant's, fresh (±300 s) and verifies over
// METHOD\nTARGET\nTIMESTAMP\nNONCE\nBODY\n; otherwise why not. `signed_body` is what BODY
// must be (media uploads sign their meta JSON only); the request's body when absent.
std::string check_authorization(const Credentials& credentials, const httplib::Request& request,
                                std::optional<std::string_view> signed_body = std::nullopt);

// {"code": ..., "message": ..., "detail": ...}; detail left out when absent.
std::string error_body(std::string_view code, std::string_view message, const Json& detail = {});

// Signs `body` and sends it with the four Wechatpay-* headers, applying `fault`: 5xx/429 replace
// the answer; bad_signature, skewed_timestamp, unknown_serial and missing_headers spoil the
// signature; the rest act on the transport (see respond.hpp). An empty body answers no content.
// The key is the one PlatformKeyring::signer_for picks for `serial`, by default the request's
// Wechatpay-Serial.
void reply_v3(Sandbox& sandbox, const httplib::Request& request, httplib::Response& response,
              int status, std::string body, const Fault& fault,
              std::optional<std::string> serial = std::nullopt);

}  // namespace wechatpay::sandbox
