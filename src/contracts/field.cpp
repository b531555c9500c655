#include "wechatpay/contracts/field.hpp"

namespace wechatpay::contracts {

std::string_view to_string(FieldType type) {
  switch (type) {
    case FieldType::string:
      return "string";
    case FieldType::integer:
      return "integer";
    case FieldType::number:
      return "number";
    case FieldType::boolean:
      return "boolean";
    case FieldType::object:
      return "object";
    case FieldType::object_array:
      return "object[]";
    case FieldType::string_array:
      return "string[]";
    case FieldType::integer_array:
      return "integer[]";
    case FieldType::number_array:
      return "number[]";
    case FieldType::unknown:
      break;
  }
  return "unknown";
}

std::string_view to_string(Encryption encryption) {
  switch (encryption) {
    case Encryption::wechatpay_public_key:
      return "wechatpay_public_key";
    case Encryption::merchant_public_key:
      return "merchant_public_key";
    case Encryption::apiv3_key_aes_gcm:
      return "apiv3_key_aes_gcm";
    case Encryption::none:
      break;
  }
  return "none";
}

void walk_fields(const std::vector<Field>& fields,
                 const std::function<void(const std::string& path, const Field& field)>& visit,
                 const std::string& prefix) {
  for (const auto& field : fields) {
    std::string path = prefix.empty() ? field.name : prefix + "." + field.name;
    visit(path, field);
    if (!field.fields.empty()) {
      walk_fields(field.fields, visit, field.type == FieldType::object_array ? path + "[]" : path);
    }
  }
}

bool has_encryption(const std::vector<Field>& fields, Encryption encryption) {
  for (const auto& field : fields) {
    if (field.encrypted == encryption || has_encryption(field.fields, encryption)) return true;
  }
  return false;
}

}  // namespace wechatpay::contracts
