#include "wechatpay/contracts/validation.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>

namespace wechatpay::contracts {

namespace {

using Value = rapidjson::Value;

// Where a value sits ("detail.goods_detail[1].quantity"), as a chain on the stack: rendered only
// when a violation names it, so a valid request builds no path strings.
struct Path {
  const Path* parent = nullptr;
  std::string_view name;                       // a member's name ("" at the root)
  std::optional<rapidjson::SizeType> index{};  // or an array item's index

  Path member(std::string_view member_name) const { return {this, member_name, std::nullopt}; }
  Path item(rapidjson::SizeType i) const { return {this, {}, i}; }
  std::string str() const {
    std::string out = parent ? parent->str() : std::string();
    if (index) return out + "[" + std::to_string(*index) + "]";
    if (!out.empty() && !name.empty()) out += '.';
    return out.append(name);
  }
};

std::string_view as_view(const Value& value) {
  return {value.GetString(), value.GetStringLength()};
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

bool is_integer_text(std::string_view text) {
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) text.remove_prefix(1);
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_number_text(std::string_view text) {
  if (text.empty()) return false;
  std::string copy(text);
  char* end = nullptr;
  std::strtod(copy.c_str(), &end);
  return end == copy.c_str() + copy.size();
}

// Whether a scalar matches `type`; `textual` parts carry every scalar as text.
bool scalar_matches(FieldType type, const Value& value, bool textual) {
  if (textual && value.IsString()) {
    auto text = as_view(value);
    switch (type) {
      case FieldType::integer:
        return is_integer_text(text);
      case FieldType::number:
        return is_number_text(text);
      case FieldType::boolean:  // XML spellings vary: "true", "TRUE"
        return equals_ignoring_case(text, "true") || equals_ignoring_case(text, "false");
      default:
        return true;  // any text, also for arrays and objects carried as text
    }
  }
  switch (type) {
    case FieldType::string:
      return value.IsString() || (textual && (value.IsNumber() || value.IsBool()));
    case FieldType::integer:
      return value.IsInt64() || value.IsUint64();
    case FieldType::number:
      return value.IsNumber();
    case FieldType::boolean:
      return value.IsBool();
    default:
      return true;
  }
}

FieldType element_type(FieldType array_type) {
  switch (array_type) {
    case FieldType::string_array:
      return FieldType::string;
    case FieldType::integer_array:
      return FieldType::integer;
    case FieldType::number_array:
      return FieldType::number;
    default:
      return FieldType::unknown;
  }
}

std::string scalar_text(const Value& value) {
  if (value.IsString()) return std::string(as_view(value));
  if (value.IsInt64()) return std::to_string(value.GetInt64());
  if (value.IsUint64()) return std::to_string(value.GetUint64());
  if (value.IsBool()) return value.GetBool() ? "true" : "false";
  return {};
}

void check_enumeration(const Field& field, const Value& value, const Path& path,
                       ValidationResult& result) {
  if (field.enumeration.empty() || !(value.IsString() || value.IsInt64() || value.IsBool())) return;
  auto text = scalar_text(value);
  if (std::find(field.enumeration.begin(), field.enumeration.end(), text) ==
      field.enumeration.end()) {
    result.notes.push_back({path.str(), "is not one of the documented values"});
  }
}

void walk_fields(const std::vector<Field>& fields, const Value& value, const Path& at, bool textual,
                 ValidationResult& result);

void type_error(const Field& field, const Path& path, ValidationResult& result) {
  result.errors.push_back({path.str(), "must be " + field.type_name});
}

void check_value(const Field& field, const Value& value, const Path& path, bool textual,
                 ValidationResult& result) {
  switch (field.type) {
    case FieldType::object:
      if (!value.IsObject()) {
        if (!(textual && value.IsString())) type_error(field, path, result);
        return;
      }
      walk_fields(field.fields, value, path, textual, result);
      return;
    case FieldType::object_array:
    case FieldType::string_array:
    case FieldType::integer_array:
    case FieldType::number_array: {
      if (!value.IsArray()) {
        if (!(textual && value.IsString())) type_error(field, path, result);
        return;
      }
      auto element = element_type(field.type);
      for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
        const Path item_path = path.item(i);
        const auto& item = value[i];
        if (field.type == FieldType::object_array) {
          if (!item.IsObject()) {
            result.errors.push_back({item_path.str(), "must be object"});
          } else {
            walk_fields(field.fields, item, item_path, textual, result);
          }
        } else if (!scalar_matches(element, item, textual)) {
          result.errors.push_back({item_path.str(), "must be " + std::string(to_string(element))});
        } else {
          check_enumeration(field, item, item_path, result);
        }
      }
      return;
    }
    case FieldType::unknown:
      return;
    default:
      if (!scalar_matches(field.type, value, textual)) {
        type_error(field, path, result);
        return;
      }
      check_enumeration(field, value, path, result);
  }
}

bool filled_later(const RequestParts& parts, std::string_view name) {
  return std::find(parts.filled_later.begin(), parts.filled_later.end(), name) !=
         parts.filled_later.end();
}

// Query pairs as an object of strings, so the field walk applies to them too.
rapidjson::Document query_object(const Query& query) {
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& allocator = doc.GetAllocator();
  for (const auto& [key, value] : query) {
    if (doc.HasMember(key.c_str())) continue;  // the first occurrence is the one checked
    doc.AddMember(Value(key.c_str(), allocator), Value(value.c_str(), allocator), allocator);
  }
  return doc;
}

void walk_fields(const std::vector<Field>& fields, const Value& value, const Path& at, bool textual,
                 ValidationResult& result) {
  if (!value.IsObject()) return;
  for (const auto& field : fields) {
    auto member =
        value.FindMember(Value(rapidjson::StringRef(field.name.data(), field.name.size())));
    const Path path = at.member(field.name);
    if (member == value.MemberEnd() || member->value.IsNull()) {
      if (field.required) result.errors.push_back({path.str(), "is required"});
      continue;
    }
    check_value(field, member->value, path, textual, result);
  }
}

}  // namespace

void validate_fields(const std::vector<Field>& fields, const Value& value,
                     const std::string& prefix, bool textual, ValidationResult& result) {
  walk_fields(fields, value, Path{nullptr, prefix, std::nullopt}, textual, result);
}

ValidationResult validate_request(const Contract& contract, const RequestParts& parts) {
  ValidationResult result;
  const auto& request = contract.request;
  auto without_later = [&](const std::vector<Field>& fields) {
    if (parts.filled_later.empty()) return fields;
    std::vector<Field> kept;
    for (const auto& field : fields) {
      if (!filled_later(parts, field.name)) kept.push_back(field);
    }
    return kept;
  };
  if (parts.params) {
    for (const auto& field : request.params) {
      auto it = parts.params->find(field.name);
      // Given, even as "", is filled: the documentation's examples leave values blank.
      if (field.required && !field.fixed_value && it == parts.params->end()) {
        result.errors.push_back({"params." + field.name, "is required (an unfilled placeholder)"});
      }
    }
  }
  if (parts.query && !request.query.empty()) {
    auto object = query_object(*parts.query);
    validate_fields(without_later(request.query), object, "query", true, result);
  }
  if (parts.headers) {
    for (const auto& field : request.headers) {
      if (field.required && !parts.headers->contains(field.name)) {
        result.errors.push_back({"headers." + field.name, "is required"});
      }
    }
  }
  if (parts.json && !request.json.empty()) {
    if (!parts.json->IsObject()) {
      result.errors.push_back({"json", "must be object"});
    } else {
      validate_fields(request.json, *parts.json, "", false, result);
    }
  }
  if (parts.xml && !request.xml.empty())
    validate_fields(without_later(request.xml), *parts.xml, "", true, result);
  return result;
}

}  // namespace wechatpay::contracts
