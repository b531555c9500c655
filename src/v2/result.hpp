// The business outcome of an APIv2 answer or notification, shared by the response middleware
// and the notification parser.
#pragma once

#include "wechatpay/http.hpp"
#include "wechatpay/v2/xml.hpp"

namespace wechatpay::v2 {

struct ResultCheck {
  // return_code is not SUCCESS (or absent), or result_code is present and not SUCCESS.
  bool failed = false;
  // The answer carries a `sign` (WeChat Pay signs result_code FAILs but not return_code FAILs).
  bool signed_answer = false;
};

ResultCheck check_result(const XmlFields& fields);

// ApiError: code = err_code, else return_code; message = err_code_des, else return_msg.
// `response` keeps the body, so every field stays reachable through v2::xml().
[[noreturn]] void throw_api_error(const XmlFields& fields, Response response);

}  // namespace wechatpay::v2
