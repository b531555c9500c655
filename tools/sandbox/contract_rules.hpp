// The endpoint contracts as the sandbox applies them: the SDK's own registry, validation and
// sensitive-field walk, so the sandbox refuses exactly what a client with validation on refuses
// and answers every field the documentation promises. One source of rules, no field lists here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "credentials.hpp"
#include "v3_call.hpp"
#include "wechatpay/contracts/contract.hpp"
#include "wechatpay/json.hpp"
#include "wechatpay/options.hpp"

namespace wechatpay::sandbox {

// The built-in contract of `method` + `uri_template`; std::logic_error when the data lacks it
// (a route naming a contract that does not exist is a sandbox bug).
const contracts::Contract& contract_of(std::string_view method, std::string_view uri_template);

// Checks the call's JSON body, query and headers against `contract`: the first violation is a
// 400 PARAM_ERROR whose detail.field is its path ("user_name", "payer.openid",
// "headers.Wechatpay-Serial"). Then every field marked `wechatpay_public_key` must decrypt with
// the key the request's Wechatpay-Serial names (V3Call::decrypt_value). `params`: the values of
// the template's placeholders, when the route matched them.
void check_request(V3Call& call, const contracts::Contract& contract,
                   const Params* params = nullptr);

// `handler` run once the request passed the checks of its contract (check_request): the stateful
// routes keep their state rules, the field rules are the contract's.
V3Handler checked(std::string_view method, std::string_view uri_template, V3Handler handler);

// The same for any list of fields (an answer, a notification resource): `echo` the values to
// repeat, `seed` the bytes the made-up values derive from.
Json contract_shaped(const Credentials& credentials, const std::vector<contracts::Field>& fields,
                     const Json& echo, std::string seed);

// A contract-shaped answer: every required answer field, and every optional one the request
// carries a value for under the same name. A value is the request's value of the same name and
// type, else the merchant's mchid for `mchid`, the documented fixed value, the first documented
// enumeration value, or a value of the field's type derived from the request's bytes (the same
// request, the same answer). Fields marked `merchant_public_key` are RSA-OAEP encrypted for the
// merchant's certificate.
Json contract_answer(const V3Call& call, const contracts::Contract& contract,
                     const Json& request_body);

}  // namespace wechatpay::sandbox
