#include "parse_json.hpp"

#include <string>

#include <rapidjson/error/en.h>

#include "wechatpay/errors.hpp"

namespace wechatpay::detail {

rapidjson::Document parse_received_json(std::string_view text, std::string_view subject) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) {
    throw Error(std::string(subject) +
                " is not valid JSON: " + rapidjson::GetParseError_En(doc.GetParseError()) +
                " at offset " + std::to_string(doc.GetErrorOffset()));
  }
  return doc;
}

}  // namespace wechatpay::detail
