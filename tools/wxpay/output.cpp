#include "output.hpp"

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "wechatpay/bounded_parse.hpp"
#include "wechatpay/errors.hpp"
#include "wechatpay/v2/xml.hpp"

namespace wxpay {

std::optional<std::string> pretty_json(std::string_view text) {
  rapidjson::Document doc;
  try {
    // Full precision: amounts and ids print as they were sent.
    doc = wechatpay::parse_bounded_json(text, "answer", {}, /*full_precision=*/true);
  } catch (const wechatpay::Error&) {
    return std::nullopt;
  }
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  writer.SetIndent(' ', 2);
  doc.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

void print_body(std::string_view body, bool xml_fields, std::ostream& out) {
  if (body.empty()) return;
  if (xml_fields && wechatpay::v2::looks_like_xml(body)) {
    for (const auto& [key, value] : wechatpay::v2::parse_xml(body, "")) {
      out << key << ": " << value << '\n';
    }
    return;
  }
  if (auto pretty = pretty_json(body)) {
    out << *pretty << '\n';
    return;
  }
  out << body;  // CSV, images: untouched
}

void print_response(const wechatpay::Response& response, bool include_headers, bool xml_fields,
                    std::ostream& out) {
  if (include_headers) {
    out << "HTTP " << response.status << '\n';
    for (const auto& [name, value] : response.headers) out << name << ": " << value << '\n';
    out << '\n';
  }
  if (response.body.empty() && response.status == 204 && !include_headers) {
    // Nothing to print, but a script or a person should see that it worked.
    out << "HTTP 204 No Content: done";
    if (auto id = response.request_id(); !id.empty()) out << " (Request-ID " << id << ")";
    out << '\n';
    return;
  }
  print_body(response.body, xml_fields, out);
}

}  // namespace wxpay
