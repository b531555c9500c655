#include "error_body.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "wechatpay/bounded_parse.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::detail {

namespace {

std::string member_text(const rapidjson::Value& object, const char* name) {
  auto found = object.FindMember(name);
  if (found == object.MemberEnd()) return {};
  if (found->value.IsString()) {
    return {found->value.GetString(), found->value.GetStringLength()};
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  found->value.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace

std::optional<ErrorFields> json_error_fields(std::string_view body) {
  rapidjson::Document doc;
  try {
    doc = parse_bounded_json(body, "error body");
  } catch (const Error&) {
    return std::nullopt;  // an HTML or empty error page: the status says what happened
  }
  if (!doc.IsObject()) return std::nullopt;
  return ErrorFields{member_text(doc, "code"), member_text(doc, "message"),
                     member_text(doc, "detail")};
}

}  // namespace wechatpay::detail
