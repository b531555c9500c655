// Contract and event rows from their JSON form (../shared/conformance/README.md).
#include <rapidjson/document.h>

#include "wechatpay/bounded_parse.hpp"
#include "wechatpay/chain.hpp"
#include "wechatpay/contracts/contract.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::contracts {

namespace {

using Value = rapidjson::Value;

FieldType parse_type(std::string_view name) {
  static const std::pair<std::string_view, FieldType> kTypes[] = {
      {"string", FieldType::string},           {"integer", FieldType::integer},
      {"number", FieldType::number},           {"float", FieldType::number},
      {"boolean", FieldType::boolean},         {"object", FieldType::object},
      {"object[]", FieldType::object_array},   {"string[]", FieldType::string_array},
      {"integer[]", FieldType::integer_array}, {"number[]", FieldType::number_array}};
  for (const auto& [text, type] : kTypes) {
    if (text == name) return type;
  }
  return FieldType::unknown;
}

Encryption parse_encryption(std::string_view name) {
  for (auto e : {Encryption::wechatpay_public_key, Encryption::merchant_public_key,
                 Encryption::apiv3_key_aes_gcm}) {
    if (to_string(e) == name) return e;
  }
  return Encryption::none;  // a marker this version does not know: treated as plain
}

std::string text(const Value& value) {
  if (value.IsString()) return {value.GetString(), value.GetStringLength()};
  if (value.IsBool()) return value.GetBool() ? "true" : "false";
  if (value.IsInt64()) return std::to_string(value.GetInt64());
  if (value.IsUint64()) return std::to_string(value.GetUint64());
  if (value.IsDouble()) return std::to_string(value.GetDouble());
  return {};
}

std::string string_member(const Value& object, const char* name, bool required = false) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString()) {
    if (required) throw Error(std::string("contract row: `") + name + "` must be a string");
    return {};
  }
  return {it->value.GetString(), it->value.GetStringLength()};
}

std::vector<Field> parse_fields(const Value& list, const std::string& where);

Field parse_field(const Value& value, const std::string& where) {
  if (!value.IsObject()) throw Error("contract row: a field of " + where + " is not an object");
  Field field;
  field.name = string_member(value, "name", true);
  field.type_name = string_member(value, "type");
  if (field.type_name.empty()) field.type_name = "string";
  field.type = parse_type(field.type_name);
  if (auto it = value.FindMember("required"); it != value.MemberEnd()) {
    field.required = it->value.IsTrue();
  }
  field.encrypted = parse_encryption(string_member(value, "encrypted"));
  field.encoded = string_member(value, "encoded");
  field.signed_by = string_member(value, "signed");
  if (auto it = value.FindMember("value"); it != value.MemberEnd())
    field.fixed_value = text(it->value);
  if (auto it = value.FindMember("enum"); it != value.MemberEnd() && it->value.IsArray()) {
    for (const auto& item : it->value.GetArray()) field.enumeration.push_back(text(item));
  }
  if (auto it = value.FindMember("fields"); it != value.MemberEnd()) {
    field.fields = parse_fields(it->value, where + "." + field.name);
  }
  return field;
}

std::vector<Field> parse_fields(const Value& list, const std::string& where) {
  std::vector<Field> fields;
  if (list.IsObject()) {  // a single field where a list is expected
    fields.push_back(parse_field(list, where));
    return fields;
  }
  if (!list.IsArray()) throw Error("contract row: " + where + " must be a list of fields");
  fields.reserve(list.Size());
  for (const auto& item : list.GetArray()) fields.push_back(parse_field(item, where));
  return fields;
}

std::vector<Field> fields_member(const Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || it->value.IsNull()) return {};
  return parse_fields(it->value, name);
}

rapidjson::Document parse_row(std::string_view json_row) {
  rapidjson::Document doc = parse_bounded_json(json_row, "contract row");
  if (!doc.IsObject()) throw Error("contract row is not a JSON object");
  return doc;
}

Api parse_api(const Value& row, std::string_view fallback_template) {
  auto api = string_member(row, "api");
  if (api == "v2") return Api::v2;
  if (api == "v3") return Api::v3;
  if (!api.empty()) throw Error("contract row: `api` must be \"v2\" or \"v3\"");
  return fallback_template.starts_with("v2/") ? Api::v2 : Api::v3;
}

}  // namespace

Contract parse_contract(std::string_view json_row) {
  auto row = parse_row(json_row);
  Contract contract;
  contract.doc = string_member(row, "doc");
  contract.method = string_member(row, "method", true);
  for (auto& c : contract.method)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  contract.uri_template = string_member(row, "template", true);
  contract.api = parse_api(row, contract.uri_template);
  if (auto it = row.FindMember("request"); it != row.MemberEnd() && it->value.IsObject()) {
    const auto& request = it->value;
    auto& out = contract.request;
    out.json = fields_member(request, "json");
    out.xml = fields_member(request, "xml");
    out.query = fields_member(request, "query");
    out.headers = fields_member(request, "headers");
    out.body = fields_member(request, "body");
    out.params = fields_member(request, "params");
    if (auto base = string_member(request, "base_uri"); !base.empty()) out.base_uri = base;
    if (auto s = request.FindMember("security"); s != request.MemberEnd()) {
      out.security = s->value.IsTrue();
    }
    if (auto n = request.FindMember("nonceless"); n != request.MemberEnd()) {
      out.nonceless = n->value.IsTrue();
    }
  }
  contract.response = fields_member(row, "response");
  return contract;
}

EventContract parse_event(std::string_view json_row) {
  auto row = parse_row(json_row);
  EventContract event;
  event.doc = string_member(row, "doc");
  event.event = string_member(row, "event", true);
  event.api = parse_api(row, event.doc.find("/v2/") != std::string::npos ? "v2/" : "v3/");
  event.headers = fields_member(row, "headers");
  event.body = fields_member(row, "body");
  event.acknowledgement = fields_member(row, "acknowledgement");
  return event;
}

namespace {

const std::vector<Field>* find_resource(const std::vector<Field>& fields) {
  for (const auto& field : fields) {
    if (field.encrypted == Encryption::apiv3_key_aes_gcm) return &field.fields;
    if (const auto* inner = find_resource(field.fields)) return inner;
  }
  return nullptr;
}

}  // namespace

const std::vector<Field>* EventContract::resource_fields() const {
  return find_resource(body);
}

std::string template_of_chain(std::string_view chain_path) {
  std::string out;
  while (true) {
    auto slash = chain_path.find('/');
    auto segment = chain_path.substr(0, slash);
    if (!out.empty() || slash != std::string_view::npos || !segment.empty()) {
      if (!out.empty()) out += '/';
      // Already-normalised segments ("payroll-card", "{id}") pass through unchanged.
      out += normalize_segment(segment);
    }
    if (slash == std::string_view::npos) break;
    chain_path.remove_prefix(slash + 1);
  }
  return out;
}

}  // namespace wechatpay::contracts
