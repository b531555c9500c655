#include "v2/result.hpp"

#include "redact.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::v2 {

ResultCheck check_result(const XmlFields& fields) {
  const auto* result_code = fields.find("result_code");
  return ResultCheck{
      .failed = fields.value("return_code") != "SUCCESS" ||
                (result_code != nullptr && *result_code != "SUCCESS"),
      .signed_answer = fields.contains("sign"),
  };
}

void throw_api_error(const XmlFields& fields, Response response) {
  std::string code = fields.value("err_code");
  if (code.empty()) code = fields.value("return_code");
  std::string message = fields.value("err_code_des");
  if (message.empty()) message = fields.value("return_msg");
  const std::string what =
      "APIv2 " +
      (code.empty() ? std::string("answer without return_code") : detail::printable(code, 64)) +
      (message.empty() ? "" : ": " + detail::printable(message, 256));
  throw ApiError(what, std::move(response), std::move(code), std::move(message), "");
}

}  // namespace wechatpay::v2
