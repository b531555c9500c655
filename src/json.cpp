#include "wechatpay/json.hpp"

#include <algorithm>
#include <cmath>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "wechatpay/bounded_parse.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay {

namespace {

bool is_member_pair(const Json& item) {
  return item.is_array() && item.items().size() == 2 && item.items()[0].is_string();
}

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

}  // namespace

Json::Json(std::initializer_list<Json> items) {
  if (items.size() > 0 && std::all_of(items.begin(), items.end(), is_member_pair)) {
    Object object;
    object.reserve(items.size());
    for (const auto& pair : items) object.emplace_back(pair.items()[0].str(), pair.items()[1]);
    value_ = std::move(object);
  } else {
    value_ = Array(items);
  }
}

Json::Json(const rapidjson::Value& value) {
  switch (value.GetType()) {
    case rapidjson::kNullType:
      value_ = nullptr;
      break;
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      value_ = value.GetBool();
      break;
    case rapidjson::kStringType:
      value_ = std::string(value.GetString(), value.GetStringLength());
      break;
    case rapidjson::kNumberType:
      if (value.IsInt64()) {
        value_ = value.GetInt64();
      } else if (value.IsUint64()) {
        value_ = value.GetUint64();
      } else {
        value_ = value.GetDouble();
      }
      break;
    case rapidjson::kArrayType: {
      Array array;
      array.reserve(value.Size());
      for (const auto& item : value.GetArray()) array.emplace_back(item);
      value_ = std::move(array);
      break;
    }
    case rapidjson::kObjectType: {
      Object object;
      object.reserve(value.MemberCount());
      for (const auto& member : value.GetObject()) {
        object.emplace_back(std::string(member.name.GetString(), member.name.GetStringLength()),
                            member.value);
      }
      value_ = std::move(object);
      break;
    }
  }
}

Json Json::array(std::initializer_list<Json> items) {
  return Json(Array(items));
}

Json Json::object(std::initializer_list<Member> members) {
  return Json(Object(members));
}

Json Json::raw(std::string text) {
  return Json(Raw{std::move(text)});
}

Json Json::parse(std::string_view text) {
  const rapidjson::Document doc = parse_bounded_json(text, "JSON text");
  return Json(static_cast<const rapidjson::Value&>(doc));
}

const Json::Object& Json::members() const {
  if (auto* object = std::get_if<Object>(&value_)) return *object;
  throw Error("JSON value is not an object");
}

const Json::Array& Json::items() const {
  if (auto* array = std::get_if<Array>(&value_)) return *array;
  throw Error("JSON value is not an array");
}

const std::string& Json::str() const {
  if (auto* s = std::get_if<std::string>(&value_)) return *s;
  throw Error("JSON value is not a string");
}

const Json* Json::find(std::string_view key) const {
  auto* object = std::get_if<Object>(&value_);
  if (!object) return nullptr;
  for (const auto& [name, value] : *object) {
    if (name == key) return &value;
  }
  return nullptr;
}

Json& Json::set(std::string key, Json value) {
  if (is_absent()) value_ = Object{};
  auto* object = std::get_if<Object>(&value_);
  if (!object) throw Error("JSON value is not an object");
  for (auto& [name, existing] : *object) {
    if (name == key) {
      existing = std::move(value);
      return *this;
    }
  }
  object->emplace_back(std::move(key), std::move(value));
  return *this;
}

Json& Json::push_back(Json item) {
  if (is_absent()) value_ = Array{};
  auto* array = std::get_if<Array>(&value_);
  if (!array) throw Error("JSON value is not an array");
  array->push_back(std::move(item));
  return *this;
}

namespace {

// Writes `json` with RapidJSON's writer; absent members and items are skipped.
void write(const Json& json, Writer& writer);

struct WriteVisitor {
  Writer& writer;
  void operator()(std::monostate) const {}
  void operator()(std::nullptr_t) const { writer.Null(); }
  void operator()(bool b) const { writer.Bool(b); }
  void operator()(std::int64_t n) const { writer.Int64(n); }
  void operator()(std::uint64_t n) const { writer.Uint64(n); }
  void operator()(double d) const {
    if (!writer.Double(d)) throw Error("JSON cannot represent a non-finite number");
  }
  void operator()(const std::string& s) const {
    writer.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  }
  void operator()(const Json::Array& array) const {
    writer.StartArray();
    for (const auto& item : array) write(item, writer);
    writer.EndArray();
  }
  void operator()(const Json::Object& object) const {
    writer.StartObject();
    for (const auto& [name, value] : object) {
      if (value.is_absent()) continue;
      writer.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
      write(value, writer);
    }
    writer.EndObject();
  }
  void operator()(const Json::Raw& raw) const {
    writer.RawValue(raw.text.data(), raw.text.size(), rapidjson::kObjectType);
  }
};

void write(const Json& json, Writer& writer) {
  json.visit(WriteVisitor{writer});
}

}  // namespace

std::string Json::dump() const {
  if (is_absent()) throw Error("JSON value is absent");
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  write(*this, writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string Json::to_text() const {
  if (auto* s = std::get_if<std::string>(&value_)) return *s;
  if (auto* raw = std::get_if<Raw>(&value_)) return raw->text;
  if (is_absent()) return {};
  return dump();
}

namespace {

// Builds the RapidJSON value directly, as parsing dump() would (absent members skipped, the
// same number kinds), without the text in between.
struct ValueVisitor {
  rapidjson::Value& out;
  rapidjson::Value::AllocatorType& allocator;
  void operator()(std::monostate) const { throw Error("JSON value is absent"); }
  void operator()(std::nullptr_t) const { out.SetNull(); }
  void operator()(bool b) const { out.SetBool(b); }
  void operator()(std::int64_t n) const { out = rapidjson::Value(n); }
  void operator()(std::uint64_t n) const { out = rapidjson::Value(n); }
  void operator()(double d) const {
    if (!std::isfinite(d)) throw Error("JSON cannot represent a non-finite number");
    out.SetDouble(d);
  }
  void operator()(const std::string& s) const {
    out.SetString(s.data(), static_cast<rapidjson::SizeType>(s.size()), allocator);
  }
  void operator()(const Json::Array& array) const {
    out.SetArray();
    out.Reserve(static_cast<rapidjson::SizeType>(array.size()), allocator);
    for (const auto& item : array) {
      rapidjson::Value value;
      item.to_rapidjson(value, allocator);
      out.PushBack(value, allocator);
    }
  }
  void operator()(const Json::Object& object) const {
    out.SetObject();
    for (const auto& [name, member] : object) {
      if (member.is_absent()) continue;
      rapidjson::Value key(name.data(), static_cast<rapidjson::SizeType>(name.size()), allocator);
      rapidjson::Value value;
      member.to_rapidjson(value, allocator);
      out.AddMember(key, value, allocator);
    }
  }
  void operator()(const Json::Raw& raw) const {
    rapidjson::Document doc(&allocator);
    doc.Parse(raw.text.data(), raw.text.size());
    if (doc.HasParseError()) throw Error("raw JSON text is not valid JSON");
    out = std::move(static_cast<rapidjson::Value&>(doc));
  }
};

}  // namespace

void Json::to_rapidjson(rapidjson::Value& out, rapidjson::Value::AllocatorType& allocator) const {
  visit(ValueVisitor{out, allocator});
}

bool operator==(const Json& a, const Json& b) {
  return a.value_ == b.value_;
}

}  // namespace wechatpay
