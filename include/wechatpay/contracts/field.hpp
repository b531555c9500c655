// One documented field of an endpoint or event contract: its name, JSON type, required flag,
// enumeration and encryption marker, and (for objects and arrays of objects) its children.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wechatpay/export.hpp"

namespace wechatpay::contracts {

enum class FieldType {
  string,
  integer,
  number,
  boolean,
  object,
  object_array,
  string_array,
  integer_array,
  number_array,
  unknown,  // a type name this version does not know: accepted as anything
};

// Who can read the value (see ../shared/conformance/README.md).
enum class Encryption {
  none,
  wechatpay_public_key,  // request: RSA-OAEP for WeChat Pay's key named in Wechatpay-Serial
  merchant_public_key,   // answer: RSA-OAEP for the merchant's certificate
  apiv3_key_aes_gcm,     // notification resource: AES-256-GCM under the APIv3 key
};

struct Field {
  std::string name;
  FieldType type = FieldType::string;
  std::string type_name = "string";  // as the data spells it, e.g. "object[]"
  bool required = false;
  Encryption encrypted = Encryption::none;
  std::vector<std::string> enumeration;  // the documented values, as text; empty = any
  std::string encoded;                   // "json_string" when the string holds a JSON document
  std::string signed_by;                 // "merchant_private_key" when the merchant signs it
  std::optional<std::string> fixed_value;
  std::vector<Field> fields;  // children of an object, or of each element of an object[]
};

WECHATPAY_EXPORT std::string_view to_string(FieldType type);
WECHATPAY_EXPORT std::string_view to_string(Encryption encryption);

// Calls `visit(path, field)` for every field, parents before children. Paths join names with
// '.', and an element of an object[] adds "[]": "detail.goods_detail[].quantity".
WECHATPAY_EXPORT void walk_fields(
    const std::vector<Field>& fields,
    const std::function<void(const std::string& path, const Field& field)>& visit,
    const std::string& prefix = {});

// Whether any field, at any depth, is marked `encryption`.
WECHATPAY_EXPORT bool has_encryption(const std::vector<Field>& fields, Encryption encryption);

}  // namespace wechatpay::contracts
