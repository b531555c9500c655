// How wxpay prints what it received: JSON pretty-printed, APIv2 XML as `key: value` lines,
// anything else byte for byte.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "wechatpay/http.hpp"

namespace wxpay {

// `text` pretty-printed (RapidJSON's PrettyWriter, two spaces, UTF-8 kept), or nullopt when it
// is not JSON.
std::optional<std::string> pretty_json(std::string_view text);

// Writes the body: JSON pretty-printed; with `xml_fields`, an XML body as `key: value` lines;
// otherwise the bytes as received. JSON and XML output ends with a newline.
void print_body(std::string_view body, bool xml_fields, std::ostream& out);

// With `include_headers`, "HTTP <status>", the headers and a blank line first; then the body.
// An empty 204 without `include_headers` prints one line saying it worked.
void print_response(const wechatpay::Response& response, bool include_headers, bool xml_fields,
                    std::ostream& out);

}  // namespace wxpay
