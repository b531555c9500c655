// APIv3's security as WeChat Pay applies it: the merchant's Authorization on the way in, the
// Wechatpay-* signature on the way out (with the key the request's Wechatpay-Serial names).
#pragma once

#include <string>

#include <httplib.h>

#include "faults.hpp"
#include "sandbox.hpp"
#include "wechatpay/json.hpp"

namespace wechatpay::sandbox {

// "" when the request's Authorization is the merchant's, fresh (±300 s) and verifies over
// METHOD\nTARGET\nTIMESTAMP\nNONCE\nBODY\n; otherwise why not.
std::string check_authorization(const Credentials& credentials, const httplib::Request& request);

// The serial an answer is signed with: the request's Wechatpay-Serial when it names one of the
// sandbox's keys, else the public key's id (the newer scheme).
std::string response_serial(const Credentials& credentials, const httplib::Request& request);

// {"code": ..., "message": ..., "detail": ...}; detail left out when absent.
std::string error_body(std::string_view code, std::string_view message, const Json& detail = {});

// Signs `body` and sends it with the four Wechatpay-* headers, applying `fault`: 5xx/429 replace
// the answer; bad_signature, skewed_timestamp, unknown_serial and missing_headers spoil the
// signature; the rest act on the transport (see respond.hpp). An empty body answers no content.
void reply_v3(Sandbox& sandbox, const httplib::Request& request, httplib::Response& response,
              int status, std::string body, const Fault& fault);

}  // namespace wechatpay::sandbox
