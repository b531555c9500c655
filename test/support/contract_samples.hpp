// Requests built from a contract: every required field (and, on request, every field marked
// sensitive) with a value of its documented type. For tests that walk all contracts.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "wechatpay/contracts/contract.hpp"
#include "wechatpay/headers.hpp"
#include "wechatpay/json.hpp"
#include "wechatpay/options.hpp"

namespace wechatpay::test {

struct ContractSample {
  Json body = Json::object();  // v3 JSON body or v2 XML fields
  Query query;
  Params params;
  Headers headers;
  std::vector<std::string> required_paths;  // as ValidationError::path() names them
  std::vector<std::pair<std::string, std::string>> sensitive;  // path -> plaintext sent
};

struct SampleRules {
  bool with_sensitive = true;  // also optional fields marked wechatpay_public_key
  std::string skip;            // leave out the field at this path (a required-field drop test)
  // Top-level body or query names the client's stack fills in (APIv2: sign, nonce_str, mch_id).
  std::vector<std::string> filled_by_client;
};

namespace sample_detail {

inline bool marks_sensitive(const contracts::Field& field) {
  return field.encrypted == contracts::Encryption::wechatpay_public_key ||
         contracts::has_encryption(field.fields, contracts::Encryption::wechatpay_public_key);
}

inline Json scalar(const contracts::Field& field, contracts::FieldType type, bool textual) {
  // APIv2's sign_type must name an algorithm the signer knows; the data lists none.
  if (field.name == "sign_type" && field.enumeration.empty()) return Json("HMAC-SHA256");
  using contracts::FieldType;
  std::string text = field.fixed_value            ? *field.fixed_value
                     : !field.enumeration.empty() ? field.enumeration.front()
                                                  : std::string();
  switch (type) {
    case FieldType::integer:
    case FieldType::number: {
      if (text.empty() || text.find_first_not_of("-0123456789") != std::string::npos) text = "1";
      return textual ? Json(text) : Json(std::strtoll(text.c_str(), nullptr, 10));
    }
    case FieldType::boolean:
      return textual ? Json("true") : Json(true);
    default:
      return Json(text.empty() ? "v-" + field.name : text);
  }
}

inline contracts::FieldType element_of(contracts::FieldType type) {
  using contracts::FieldType;
  if (type == FieldType::integer_array) return FieldType::integer;
  if (type == FieldType::number_array) return FieldType::number;
  return FieldType::string;
}

inline Json object(const std::vector<contracts::Field>& fields, const std::string& prefix,
                   bool textual, const SampleRules& rules, ContractSample& out);

inline Json value(const contracts::Field& field, const std::string& path, bool textual,
                  const SampleRules& rules, ContractSample& out) {
  using contracts::FieldType;
  if (field.encrypted == contracts::Encryption::wechatpay_public_key) {
    std::string plaintext = "张三-" + field.name;
    out.sensitive.emplace_back(path, plaintext);
    return Json(plaintext);
  }
  switch (field.type) {
    case FieldType::object:
      return textual ? Json("{}") : object(field.fields, path, textual, rules, out);
    case FieldType::object_array:
      return textual ? Json("[]")
                     : Json::array({object(field.fields, path + "[0]", textual, rules, out)});
    case FieldType::string_array:
    case FieldType::integer_array:
    case FieldType::number_array:
      return textual ? Json(scalar(field, element_of(field.type), true).to_text())
                     : Json::array({scalar(field, element_of(field.type), false)});
    default:
      return scalar(field, field.type, textual);
  }
}

inline Json object(const std::vector<contracts::Field>& fields, const std::string& prefix,
                   bool textual, const SampleRules& rules, ContractSample& out) {
  Json result = Json::object();
  for (const auto& field : fields) {
    std::string path = prefix.empty() ? field.name : prefix + "." + field.name;
    if (!field.required && !(rules.with_sensitive && marks_sensitive(field))) continue;
    if ((prefix.empty() || prefix == "query") &&
        std::find(rules.filled_by_client.begin(), rules.filled_by_client.end(), field.name) !=
            rules.filled_by_client.end()) {
      continue;
    }
    if (field.required) out.required_paths.push_back(path);
    if (path == rules.skip) continue;
    result.set(field.name, value(field, path, textual, rules, out));
  }
  return result;
}

}  // namespace sample_detail

inline ContractSample sample_request(const contracts::Contract& contract,
                                     const SampleRules& rules = {}) {
  ContractSample out;
  const auto& request = contract.request;
  for (const auto& field : request.params) {
    // A required param with a fixed value is a literal segment of the template, not a placeholder.
    if (!field.required || field.fixed_value) continue;
    std::string path = "params." + field.name;
    out.required_paths.push_back(path);
    if (path != rules.skip) out.params[field.name] = "p-" + field.name;
  }
  Json query = sample_detail::object(request.query, "query", true, rules, out);
  for (const auto& [name, value] : query.members()) out.query.emplace_back(name, value.to_text());
  for (const auto& field : request.headers) {
    if (!field.required) continue;
    std::string path = "headers." + field.name;
    if (field.name == "Wechatpay-Serial") continue;  // the client names its key itself
    out.required_paths.push_back(path);
    if (path != rules.skip) out.headers.set(field.name, "h-" + field.name);
  }
  const bool v3 = contract.api == contracts::Api::v3;
  out.body = sample_detail::object(v3 ? request.json : request.xml, "", !v3, rules, out);
  return out;
}

}  // namespace wechatpay::test
