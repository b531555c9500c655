#include "contract_rules.hpp"

#include <optional>
#include <stdexcept>
#include <string>

#include <rapidjson/document.h>

#include "wechatpay/contracts/registry.hpp"
#include "wechatpay/contracts/sensitive.hpp"
#include "wechatpay/contracts/validation.hpp"
#include "wechatpay/crypto/hash.hpp"
#include "wechatpay/crypto/rsa.hpp"
#include "wechatpay/headers.hpp"
#include "wechatpay/options.hpp"

namespace wechatpay::sandbox {
namespace {

using contracts::Encryption;
using contracts::Field;
using contracts::FieldType;

// Where a violation's path points, as WeChat Pay's detail.location names it.
std::string location_of(const std::string& path) {
  if (path.starts_with("headers.")) return "header";
  if (path.starts_with("query.")) return "query";
  if (path.starts_with("params.")) return "uri_template";
  return "body";
}

struct AnswerMaker {
  const Credentials& credentials;
  std::string seed;  // the request's bytes: the same request, the same answer

  // A string of the field's name and a digest of the request and the field's path.
  std::string text(const std::string& path, const Field& field) const {
    return field.name + "_" + crypto::md5_hex(seed + "\n" + path).substr(0, 12);
  }

  static const Json* echoed(const Field& field, const Json* request) {
    if (!request || !request->is_object()) return nullptr;
    const Json* value = request->find(field.name);
    if (!value) return nullptr;
    const bool fits = value->visit([&](const auto& v) {
      using T = std::decay_t<decltype(v)>;
      switch (field.type) {
        case FieldType::string:
          return std::is_same_v<T, std::string>;
        case FieldType::integer:
          return std::is_same_v<T, std::int64_t> || std::is_same_v<T, std::uint64_t>;
        case FieldType::boolean:
          return std::is_same_v<T, bool>;
        case FieldType::object:
          return std::is_same_v<T, Json::Object>;
        default:
          return false;  // numbers and arrays are made, not echoed
      }
    });
    return fits ? value : nullptr;
  }

  // `text` as a value of `type` (or of its elements): a number when it reads as one.
  static Json typed(const std::string& text, FieldType type) {
    const bool integral = type == FieldType::integer || type == FieldType::integer_array;
    const bool numeric = integral || type == FieldType::number || type == FieldType::number_array;
    if (!numeric) return Json(text);
    try {
      std::size_t used = 0;
      if (integral) {
        const long long n = std::stoll(text, &used);
        if (used == text.size()) return Json(static_cast<std::int64_t>(n));
      } else {
        const double d = std::stod(text, &used);
        if (used == text.size()) return Json(d);
      }
    } catch (const std::exception&) {
    }
    return integral ? Json(std::int64_t{1}) : Json(1.5);
  }

  Json scalar(const std::string& path, const Field& field) const {
    switch (field.type) {
      case FieldType::integer:
        return Json(std::int64_t{1});
      case FieldType::number:
        return Json(1.5);
      case FieldType::boolean:
        return Json(true);
      default:
        return Json(field.encoded == "json_string" ? std::string("{}") : text(path, field));
    }
  }

  Json value(const std::string& path, const Field& field, const Json* request) const {
    // A request's value of a sensitive field is ciphertext for WeChat Pay's key: not echoed.
    const bool sealed = field.encrypted == Encryption::merchant_public_key;
    if (const Json* same = echoed(field, request);
        same && !sealed && field.type != FieldType::object) {
      return *same;
    }
    if (field.name == "mchid" && field.type == FieldType::string) {
      return Json(credentials.mchid);
    }
    // A documented value (fixed, or the first of an enumeration) is the value of a scalar and
    // the element of an array.
    std::optional<std::string> documented = field.fixed_value;
    if (!documented && !field.enumeration.empty()) documented = field.enumeration.front();
    if (documented) {
      Json one = typed(*documented, field.type);
      const bool array = field.type == FieldType::string_array ||
                         field.type == FieldType::integer_array ||
                         field.type == FieldType::number_array;
      if (!array) return one;
      return Json(Json::Array{std::move(one)});
    }
    switch (field.type) {
      case FieldType::object:
        return object(path + ".", field.fields, request ? request->find(field.name) : nullptr);
      case FieldType::object_array:
        return Json(Json::Array{object(path + "[].", field.fields, nullptr)});
      case FieldType::string_array:
        return Json(Json::Array{Json(text(path + "[]", field))});
      case FieldType::integer_array:
        return Json(Json::Array{Json(std::int64_t{1})});
      case FieldType::number_array:
        return Json(Json::Array{Json(1.5)});
      default:
        return scalar(path, field);
    }
  }

  Json object(const std::string& prefix, const std::vector<Field>& fields,
              const Json* request) const {
    Json::Object members;
    for (const Field& field : fields) {
      if (!field.required && !echoed(field, request)) continue;
      Json made = value(prefix + field.name, field, request);
      if (field.encrypted == Encryption::merchant_public_key && made.is_string()) {
        made = Json(crypto::rsa_oaep_encrypt(credentials.merchant_cert.key, made.str()));
      }
      members.emplace_back(field.name, std::move(made));
    }
    return Json(std::move(members));
  }
};

}  // namespace

const contracts::Contract& contract_of(std::string_view method, std::string_view uri_template) {
  static const auto registry = contracts::ContractRegistry::builtin();
  const contracts::Contract* contract = registry->find(method, uri_template);
  if (!contract) {
    throw std::logic_error("no contract for " + std::string(method) + " " +
                           std::string(uri_template));
  }
  return *contract;
}

void check_request(V3Call& call, const contracts::Contract& contract, const Params* params) {
  // No body reads as an empty object: its required fields are missing. A multipart body's JSON
  // is its meta part.
  rapidjson::Document body(rapidjson::kObjectType);
  if (call.request.is_multipart_form_data()) {
    const std::string meta = call.request.get_file_value("meta").content;
    body.Parse(meta.data(), meta.size());
    if (body.HasParseError() || !body.IsObject()) {
      throw ApiFailure{400, "PARAM_ERROR", "the meta part must be a JSON object"};
    }
  } else if (!call.request.body.empty()) {
    call.body();  // 400 PARAM_ERROR unless a JSON object
    body.Parse(call.request.body.data(), call.request.body.size());
  }
  Query query;
  for (const auto& [name, value] : call.request.params) query.emplace_back(name, value);
  Headers headers;
  for (const auto& [name, value] : call.request.headers) headers.add(name, value);
  contracts::ValidationResult result = contracts::validate_request(
      contract, {.json = &body, .query = &query, .params = params, .headers = &headers});
  // A multipart contract lists its parts: each required one present, the meta part's fields
  // as its JSON.
  for (const Field& part : contract.request.body) {
    if (part.name == "meta") {
      contracts::validate_fields(part.fields, body, "meta", false, result);
    } else if (part.required && !call.request.has_file(part.name)) {
      result.errors.push_back({part.name, "is required"});
    }
  }
  if (!result.ok()) {
    const contracts::Violation& first = result.errors.front();
    throw ApiFailure{400, "PARAM_ERROR", first.path + " " + first.problem,
                     Json{{"field", first.path},
                          {"location", location_of(first.path)},
                          {"issue", first.problem}}};
  }
  contracts::for_each_encrypted(contract.request.json, body, Encryption::wechatpay_public_key,
                                [&](const std::string& path, rapidjson::Value& value) {
                                  call.decrypt_value(path,
                                                     value.IsString() ? value.GetString() : "");
                                });
}

V3Handler checked(std::string_view method, std::string_view uri_template, V3Handler handler) {
  const contracts::Contract& contract = contract_of(method, uri_template);
  return [&contract, handler = std::move(handler)](V3Call& call) {
    check_request(call, contract);
    return handler(call);
  };
}

Json contract_shaped(const Credentials& credentials, const std::vector<contracts::Field>& fields,
                     const Json& echo, std::string seed) {
  return AnswerMaker{credentials, std::move(seed)}.object("", fields, &echo);
}

Json contract_answer(const V3Call& call, const contracts::Contract& contract,
                     const Json& request_body) {
  return contract_shaped(
      call.sandbox.credentials, contract.response, request_body,
      call.request.method + " " + call.request.target + "\n" + call.request.body);
}

}  // namespace wechatpay::sandbox
