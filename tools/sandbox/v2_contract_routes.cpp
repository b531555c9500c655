// Every APIv2 endpoint contract that no stateful route serves, emulated from its contract alone:
// the request checked as v2_call.hpp checks every APIv2 request, the answer contract-shaped.
#include <regex>

#include "contract_rules.hpp"
#include "routes.hpp"
#include "v2_call.hpp"
#include "wechatpay/contracts/registry.hpp"
#include "wechatpay/crypto/hash.hpp"

namespace wechatpay::sandbox {
namespace {

using v2::XmlFields;

// Fields serve_v2 writes itself (the outcome, the merchant, the nonce and sign it makes).
bool written_by_serve(const std::string& name) {
  for (const char* own :
       {"return_code", "return_msg", "err_code", "err_code_des", "nonce_str", "sign"}) {
    if (name == own) return true;
  }
  return false;
}

// Numbered fields ("refund_fee_$n", "coupon_id_$n_$m"): the first of each, as WeChat Pay
// numbers them from 0 ("refund_fee_0").
std::string first_numbered(const std::string& name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const bool variable = name[i] == '$' && i + 1 < name.size();
    out += variable ? '0' : name[i];
    i += variable ? 1 : 0;
  }
  return out;
}

// A route pattern matching exactly `path` (httplib patterns are regular expressions).
std::string exactly(const std::string& path) {
  static const std::regex kSpecial(R"([.^$|()\[\]{}*+?\\])");
  return std::regex_replace(path, kSpecial, R"(\$&)");
}

}  // namespace

// contract_shaped's values; the request's of the same name are echoed as sent (APIv2 values are
// text).
XmlFields v2_contract_answer(const Sandbox& sandbox, const contracts::Contract& contract,
                             const XmlFields& request) {
  Json echo = Json::object();
  for (const auto& [name, value] : request) echo.set(name, value);
  std::string seed = contract.endpoint();
  for (const auto& [name, value] : request) {
    if (name != "nonce_str" && name != "sign") seed += "\n" + name + "=" + value;
  }
  XmlFields made = v2::to_fields(
      contract_shaped(sandbox.credentials, contract.response, echo, crypto::md5_hex(seed)));
  XmlFields answer;
  for (auto [name, value] : made) {
    if (written_by_serve(name)) continue;
    name = first_numbered(name);
    const std::string* same = request.find(name);
    answer.add(name, name == "result_code"         ? "SUCCESS"
                     : same && name != "sign_type" ? *same
                                                   : value);
  }
  return answer;
}

void add_v2_contract_routes(httplib::Server& server, Sandbox& sandbox) {
  for (const contracts::Contract* contract : contracts::ContractRegistry::builtin()->contracts()) {
    if (contract->api != contracts::Api::v2) continue;
    const std::string path = exactly(contract->uri_template.substr(2));  // "v2/pay/x" -> "/pay/x"
    auto handler =
        serve_v2(sandbox, *contract, [contract](Sandbox& sandbox, const XmlFields& request) {
          return v2_contract_answer(sandbox, *contract, request);
        });
    if (contract->method == "GET") {
      server.Get(path, std::move(handler));
    } else {
      server.Post(path, std::move(handler));
    }
  }
}

}  // namespace wechatpay::sandbox
