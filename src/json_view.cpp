#include "wechatpay/json_view.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "wechatpay/bounded_parse.hpp"
#include "wechatpay/errors.hpp"
#include "wechatpay/http.hpp"

namespace wechatpay {

namespace detail {

struct JsonSource {
  rapidjson::Document document;
  Response response;  // carried by read errors: status, headers, Request-ID
};

}  // namespace detail

namespace {

const char* kind_name(const rapidjson::Value& value) {
  switch (value.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "bool";
    case rapidjson::kObjectType:
      return "object";
    case rapidjson::kArrayType:
      return "array";
    case rapidjson::kStringType:
      return "string";
    case rapidjson::kNumberType:
      return "number";
  }
  return "unknown";
}

std::string member_path(const std::string& parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string path;
  path.reserve(parent.size() + 1 + key.size());
  return path.append(parent).append(".").append(key);
}

std::string item_path(const std::string& parent, std::int64_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

}  // namespace

JsonView JsonView::parse(std::string_view text) {
  return parse(text, Response{});
}

JsonView JsonView::parse(std::string_view text, const Response& response,
                         std::string_view subject) {
  auto source = std::make_shared<detail::JsonSource>();
  source->document = parse_bounded_json(text, subject);
  source->response = response;
  const rapidjson::Value* root = &source->document;
  return JsonView(std::move(source), root, {});
}

JsonView JsonView::operator[](std::string_view key) const {
  if (!value_ || !value_->IsObject()) return absent_child(member_path(path_, key));
  auto found = value_->FindMember(rapidjson::Value(
      rapidjson::StringRef(key.data(), static_cast<rapidjson::SizeType>(key.size()))));
  if (found == value_->MemberEnd()) return JsonView(source_, nullptr, member_path(path_, key));
  return JsonView(source_, &found->value, member_path(path_, key));
}

JsonView JsonView::item(std::size_t index) const {
  auto path = item_path(path_, static_cast<std::int64_t>(index));
  if (!value_ || !value_->IsArray()) return absent_child(std::move(path));
  if (index >= value_->Size()) {
    auto note = (path_.empty() ? std::string("the root") : path_) + " has " +
                std::to_string(value_->Size()) + (value_->Size() == 1 ? " item" : " items");
    return JsonView(source_, nullptr, std::move(path), std::move(note));
  }
  return JsonView(source_, &(*value_)[static_cast<rapidjson::SizeType>(index)], std::move(path));
}

JsonView JsonView::item_absent(std::int64_t negative_index) const {
  return JsonView(source_, nullptr, item_path(path_, negative_index), "indexes start at 0");
}

// A child of something that is not a container: absent, remembering why.
JsonView JsonView::absent_child(std::string path) const {
  std::string note;
  if (value_) {
    note = (path_.empty() ? std::string("the root") : path_) + " is " + kind_name(*value_);
  } else if (!note_.empty()) {
    note = note_;
  } else if (!path_.empty()) {
    note = path_ + " is missing";
  }
  return JsonView(source_, nullptr, std::move(path), std::move(note));
}

bool JsonView::contains(std::string_view key) const noexcept {
  if (!value_ || !value_->IsObject()) return false;
  return value_->FindMember(rapidjson::Value(rapidjson::StringRef(
             key.data(), static_cast<rapidjson::SizeType>(key.size())))) != value_->MemberEnd();
}

std::size_t JsonView::size() const noexcept {
  if (!value_) return 0;
  if (value_->IsArray()) return value_->Size();
  if (value_->IsObject()) return value_->MemberCount();
  return 0;
}

void JsonView::fail(const std::string& problem) const {
  throw JsonReadError(path_, problem, source_ ? source_->response : Response{});
}

void JsonView::fail_range(const char* type_name) const {
  fail(dump() + " does not fit " + type_name);
}

const rapidjson::Value& JsonView::require(bool matches, const char* expected) const {
  if (!value_) fail(note_.empty() ? std::string("missing") : "missing (" + note_ + ")");
  if (!matches) fail(std::string("expected ") + expected + ", got " + kind_name(*value_));
  return *value_;
}

std::string JsonView::read_string() const {
  return std::string(read_string_view());
}

std::string_view JsonView::read_string_view() const {
  const auto& value = require(value_ && value_->IsString(), "string");
  return {value.GetString(), value.GetStringLength()};
}

bool JsonView::read_bool() const {
  return require(value_ && value_->IsBool(), "bool").GetBool();
}

double JsonView::read_double() const {
  return require(value_ && value_->IsNumber(), "number").GetDouble();
}

std::int64_t JsonView::read_int64(const char* type_name) const {
  const auto& value = require(value_ && value_->IsNumber(), "integer");
  if (value.IsInt64()) return value.GetInt64();
  if (value.IsUint64()) fail_range(type_name);
  fail("expected integer, got number " + dump());
}

std::uint64_t JsonView::read_uint64(const char* type_name) const {
  const auto& value = require(value_ && value_->IsNumber(), "integer");
  if (value.IsUint64()) return value.GetUint64();
  if (value.IsInt64()) fail_range(type_name);
  fail("expected integer, got number " + dump());
}

JsonView::Iterator JsonView::begin() const {
  if (value_ && !value_->IsNull()) require(value_->IsArray(), "array");
  return Iterator(this, 0);
}

JsonView::Iterator JsonView::end() const {
  return Iterator(this, is_array() ? value_->Size() : 0);
}

JsonView::MemberRange JsonView::members() const {
  if (!value_ || value_->IsNull()) return MemberRange(JsonView());
  require(value_->IsObject(), "object");
  return MemberRange(*this);
}

JsonView::MemberRange::Iterator JsonView::MemberRange::begin() const {
  if (!object_.value_) return {};
  return Iterator(&object_, object_.value_->MemberBegin());
}

JsonView::MemberRange::Iterator JsonView::MemberRange::end() const {
  if (!object_.value_) return {};
  return Iterator(&object_, object_.value_->MemberEnd());
}

JsonView::MemberRange::Iterator::value_type JsonView::MemberRange::Iterator::operator*() const {
  std::string_view name(member_->name.GetString(), member_->name.GetStringLength());
  return {name, JsonView(object_->source_, &member_->value, member_path(object_->path_, name))};
}

std::string JsonView::dump() const {
  require(true, "");
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value_->Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

const rapidjson::Document& JsonView::document() const {
  if (!source_) throw Error("this JsonView holds no document");
  return source_->document;
}

}  // namespace wechatpay
