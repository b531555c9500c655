// One APIv2 request as WeChat Pay receives it: the merchant's TLS certificate where the contract
// says `security`, the fields (XML body, or the query of a GET) checked against the endpoint's
// contract, the merchant id and the sign; then a handler's fields answered in signed XML.
#pragma once

#include <functional>
#include <string>

#include <httplib.h>

#include "sandbox.hpp"
#include "wechatpay/contracts/contract.hpp"
#include "wechatpay/v2/xml.hpp"

namespace wechatpay::sandbox {

// return_code FAIL: the request itself was refused (format, sign, certificate); return_msg is
// the real service's short Chinese text, nothing more.
struct V2Failure {
  std::string return_msg;
};
// result_code FAIL: the request was fine, the business operation was not.
struct V2ResultFailure {
  std::string err_code, err_code_des;
};

// The answer's fields after return_code/return_msg (and the request's appid and mch_id).
using V2Handler = std::function<v2::XmlFields(Sandbox&, const v2::XmlFields&)>;

// A required field's value; V2Failure naming it when missing or empty.
const std::string& required(const v2::XmlFields& fields, std::string_view name);

// The httplib handler for `handler` on `contract`'s endpoint.
httplib::Server::Handler serve_v2(Sandbox& sandbox, const contracts::Contract& contract,
                                  V2Handler handler);

}  // namespace wechatpay::sandbox
