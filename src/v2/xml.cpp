#include "wechatpay/v2/xml.hpp"

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include <tinyxml2.h>

#include "bounded_xml.hpp"
#include "redact.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::v2 {
namespace {

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

// ASCII name rules of XML 1.0; bytes >= 0x80 (UTF-8 letters) are let through.
bool is_xml_name(std::string_view name) {
  if (name.empty()) return false;
  auto start = [](unsigned char c) { return std::isalpha(c) || c == '_' || c == ':' || c >= 0x80; };
  auto rest = [&](unsigned char c) { return start(c) || std::isdigit(c) || c == '-' || c == '.'; };
  if (!start(static_cast<unsigned char>(name.front()))) return false;
  return std::all_of(name.begin() + 1, name.end(),
                     [&](char c) { return rest(static_cast<unsigned char>(c)); });
}

// C0 controls other than tab, LF and CR cannot appear in an XML 1.0 document at all.
bool has_forbidden_control(std::string_view value) {
  return std::any_of(value.begin(), value.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 && u != '\t' && u != '\n' && u != '\r';
  });
}

// Markup characters, and whitespace-only values: parsers drop whitespace-only text between tags.
bool needs_cdata(std::string_view value) {
  return value.find_first_of("<>&'\"") != std::string_view::npos ||
         (!value.empty() && is_blank(value));
}

// A carriage return is written as the reference &#13;: XML parsers turn a literal CR or CRLF
// into LF, inside CDATA too, which would change the value the receiver signs.
constexpr std::string_view kCarriageReturn = "&#13;";

void append_text(std::string& out, std::string_view value) {
  for (const char c : value) {
    if (c == '\r') {
      out += kCarriageReturn;
    } else {
      out += c;
    }
  }
}

// CDATA cannot contain `]]>` (end the section after `]]` and start a new one before `>`) and
// cannot keep a CR (close the section around its reference).
void append_cdata(std::string& out, std::string_view value) {
  out += "<![CDATA[";
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\r') {
      out += "]]>";
      out += kCarriageReturn;
      out += "<![CDATA[";
    } else if (value.substr(i, 3) == "]]>") {
      out += "]]]]><![CDATA[>";
      i += 2;
    } else {
      out += value[i];
    }
  }
  out += "]]>";
}

// An element's value: its text and CDATA joined, or, when it has child elements, their XML.
std::string element_value(const tinyxml2::XMLElement& element) {
  if (element.FirstChildElement() != nullptr) {
    tinyxml2::XMLPrinter printer(nullptr, /*compact=*/true);
    for (auto* child = element.FirstChild(); child; child = child->NextSibling()) {
      child->Accept(&printer);
    }
    return std::string(printer.CStr(), static_cast<std::size_t>(printer.CStrSize() - 1));
  }
  std::string value;
  for (auto* child = element.FirstChild(); child; child = child->NextSibling()) {
    if (const auto* text = child->ToText()) value += text->Value();
  }
  return value;
}

const tinyxml2::XMLElement& document_root(const tinyxml2::XMLDocument& doc, std::string_view name) {
  const tinyxml2::XMLElement* root = nullptr;
  for (auto* node = doc.FirstChild(); node; node = node->NextSibling()) {
    if (node->ToDeclaration() || node->ToComment()) continue;
    if (const auto* text = node->ToText(); text && is_blank(text->Value())) continue;
    if (const auto* element = node->ToElement(); element && root == nullptr) {
      root = element;
      continue;
    }
    throw XmlError("XML: content outside the root element");
  }
  if (root == nullptr) throw XmlError("XML: no root element");
  if (!name.empty() && std::string_view(root->Name()) != name) {
    throw XmlError("XML: the root element is not <" + std::string(name) + ">");
  }
  return *root;
}

}  // namespace

void XmlFields::add(std::string key, std::string value) {
  fields_.emplace_back(std::move(key), std::move(value));
}

void XmlFields::set(std::string_view key, std::string value) {
  for (auto& field : fields_) {
    if (field.first == key) {
      field.second = std::move(value);
      return;
    }
  }
  fields_.emplace_back(std::string(key), std::move(value));
}

bool XmlFields::erase(std::string_view key) {
  return std::erase_if(fields_, [&](const Field& f) { return f.first == key; }) > 0;
}

const std::string* XmlFields::find(std::string_view key) const {
  for (const auto& field : fields_) {
    if (field.first == key) return &field.second;
  }
  return nullptr;
}

std::string XmlFields::value(std::string_view key) const {
  const auto* found = find(key);
  return found ? *found : std::string();
}

const std::string& XmlFields::at(std::string_view key) const {
  const auto* found = find(key);
  if (found == nullptr) throw Error("XML field `" + std::string(key) + "` is absent");
  return *found;
}

XmlFields to_fields(const Json& payload) {
  XmlFields fields;
  if (payload.is_absent() || (payload.is_array() && payload.items().empty())) return fields;
  if (!payload.is_object()) throw ConfigError("xml", "the APIv2 payload must be an object");
  for (const auto& [key, value] : payload.members()) {
    if (value.is_absent()) continue;
    fields.add(key, value.is_null() ? std::string() : value.to_text());
  }
  return fields;
}

std::string to_xml(const XmlFields& fields, bool always_cdata) {
  std::string out = "<xml>";
  for (const auto& [key, value] : fields) {
    if (!is_xml_name(key)) {
      throw ConfigError("xml", "field name `" + key + "` is not a valid XML element name");
    }
    if (has_forbidden_control(value)) {
      throw ConfigError("xml", "field `" + key + "` holds a control character XML cannot carry");
    }
    out += '<' + key + '>';
    if (always_cdata || needs_cdata(value)) {
      append_cdata(out, value);
    } else {
      append_text(out, value);
    }
    out += "</" + key + '>';
  }
  out += "</xml>";
  return out;
}

XmlFields parse_xml(std::string_view text, std::string_view root) {
  if (is_blank(text)) throw XmlError("XML: empty document");
  // XML 1.0 allows no C0 control but tab, LF and CR; tinyxml2 would stop at a NUL and accept
  // what came before it, and skip others (\v, \f) as if they were whitespace.
  if (has_forbidden_control(text)) {
    throw XmlError("XML: the document holds a control character XML 1.0 does not allow");
  }
  // A byte order mark may only open a document; tinyxml2 also skips one after leading
  // whitespace, which would accept what looks_like_xml() (and any other parser) refuses.
  if (const auto first = text.find_first_not_of(" \t\r\n");
      first != 0 && text.substr(first).starts_with("\xEF\xBB\xBF")) {
    throw XmlError("XML: a byte order mark after leading whitespace");
  }
  // Bounded, and refusing DTDs (no entity is ever declared) and what tinyxml2 is lenient about.
  tinyxml2::XMLDocument doc(/*processEntities=*/true, tinyxml2::PRESERVE_WHITESPACE);
  detail::parse_bounded_xml(doc, text);
  const tinyxml2::XMLElement& top = document_root(doc, root);
  std::vector<XmlFields::Field> fields;
  // Names point into `doc`: a hash lookup keeps the duplicate check linear in the field count.
  std::unordered_set<std::string_view> names;
  std::size_t children = 0;
  for (auto* node = top.FirstChild(); node; node = node->NextSibling()) ++children;
  fields.reserve(children);
  names.reserve(children);
  for (auto* node = top.FirstChild(); node; node = node->NextSibling()) {
    if (node->ToComment()) continue;
    if (const auto* text_node = node->ToText(); text_node && is_blank(text_node->Value())) {
      continue;
    }
    const auto* element = node->ToElement();
    if (element == nullptr) throw XmlError("XML: unexpected content directly inside <xml>");
    // Two values under one key would make signature checks ambiguous.
    if (!names.insert(element->Name()).second) {
      throw XmlError("XML: duplicate field `" + detail::printable(element->Name()) + "`");
    }
    fields.emplace_back(element->Name(), element_value(*element));
  }
  return XmlFields(std::move(fields));
}

XmlFields xml(const Response& response) {
  return parse_xml(response.decrypted_body ? *response.decrypted_body : response.body);
}

bool looks_like_xml(std::string_view body) noexcept {
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);  // UTF-8 byte order mark
  const auto first = body.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && body[first] == '<';
}

}  // namespace wechatpay::v2
