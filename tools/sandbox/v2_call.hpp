// One APIv2 request as WeChat Pay receives it: the merchant's TLS certificate where the contract
// says `security`, the fields (XML body, a multipart form's text parts, or the query of a GET)
// checked against the endpoint's contract, the merchant id and the sign; then a handler's fields
// answered in signed XML.
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
// The same with the request, for a multipart form's file parts (secapi/mch/uploadmedia): the
// fields are the form's text parts.
using V2FormHandler =
    std::function<v2::XmlFields(Sandbox&, const v2::XmlFields&, const httplib::Request&)>;

// A required field's value; V2Failure naming it when missing or empty.
const std::string& required(const v2::XmlFields& fields, std::string_view name);

// The httplib handler for `handler` on `contract`'s endpoint.
httplib::Server::Handler serve_v2(Sandbox& sandbox, const contracts::Contract& contract,
                                  V2Handler handler);
httplib::Server::Handler serve_v2(Sandbox& sandbox, const contracts::Contract& contract,
                                  V2FormHandler handler);

// The answer to `request` shaped by `contract` alone: every required answer field, the
// request's value where it has one of the same name, else a value derived from the request's
// fields (the same request, the same answer). v2_contract_routes.cpp.
v2::XmlFields v2_contract_answer(const Sandbox& sandbox, const contracts::Contract& contract,
                                 const v2::XmlFields& request);

}  // namespace wechatpay::sandbox
