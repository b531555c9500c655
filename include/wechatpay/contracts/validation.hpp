// Checking a request (or any JSON/XML document) against a contract: required fields, JSON types,
// placeholders, query and headers. Used by the client before sending and by a server (the
// sandbox) on receipt, so both refuse the same requests with the same field paths.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "wechatpay/contracts/contract.hpp"
#include "wechatpay/export.hpp"
#include "wechatpay/headers.hpp"
#include "wechatpay/options.hpp"

namespace wechatpay::contracts {

struct Violation {
  std::string path;     // "payer.openid", "detail.goods_detail[1].quantity", "query.mchid"
  std::string problem;  // "is required", "must be integer" (never the value)
};

struct ValidationResult {
  std::vector<Violation> errors;  // refuse the request
  std::vector<Violation> notes;   // worth a log line only: a value outside a documented enum
  bool ok() const { return errors.empty(); }
};

// The parts of a request; a null part is not checked.
struct RequestParts {
  const rapidjson::Value* json = nullptr;  // APIv3 body
  const rapidjson::Value* xml = nullptr;   // APIv2 fields, an object of scalars
  const Query* query = nullptr;
  const Params* params = nullptr;
  const Headers* headers = nullptr;
  // Fields someone fills in after the check (the client's APIv2 stack adds nonce_str, sign).
  std::vector<std::string_view> filled_later{};
};

// Checks every part the contract describes and the request carries. Unknown extra fields pass.
WECHATPAY_EXPORT ValidationResult validate_request(const Contract& contract,
                                                   const RequestParts& parts);

// Checks `value` (an object) against `fields`, appending to `result`; paths start with
// `prefix`. `textual`: values travel as text (XML, query), so "12" is a valid integer.
WECHATPAY_EXPORT void validate_fields(const std::vector<Field>& fields,
                                      const rapidjson::Value& value, const std::string& prefix,
                                      bool textual, ValidationResult& result);

}  // namespace wechatpay::contracts
