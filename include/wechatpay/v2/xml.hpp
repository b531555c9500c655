// APIv2's XML: a flat `<xml><key>value</key>...</xml>` document, built from an ordered object
// and parsed (tinyxml2) into ordered key/value pairs.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wechatpay/export.hpp"
#include "wechatpay/http.hpp"
#include "wechatpay/json.hpp"

namespace wechatpay::v2 {

// Ordered key/value pairs: a request payload or a parsed response, in document order.
class WECHATPAY_EXPORT XmlFields {
 public:
  using Field = std::pair<std::string, std::string>;
  using const_iterator = std::vector<Field>::const_iterator;

  XmlFields() = default;
  XmlFields(std::initializer_list<Field> fields) : fields_(fields) {}
  explicit XmlFields(std::vector<Field> fields) : fields_(std::move(fields)) {}

  // Appends a field (no duplicate check).
  void add(std::string key, std::string value);
  // Replaces the value of `key` in place, or appends it.
  void set(std::string_view key, std::string value);
  bool erase(std::string_view key);

  // The value of `key`, or nullptr.
  const std::string* find(std::string_view key) const;
  bool contains(std::string_view key) const { return find(key) != nullptr; }
  // The value of `key`, or "".
  std::string value(std::string_view key) const;
  // The value of `key`; wechatpay::Error naming the key when absent.
  const std::string& at(std::string_view key) const;

  const_iterator begin() const { return fields_.begin(); }
  const_iterator end() const { return fields_.end(); }
  std::size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }
  const std::vector<Field>& fields() const { return fields_; }

  friend bool operator==(const XmlFields&, const XmlFields&) = default;

 private:
  std::vector<Field> fields_;
};

// An object payload as fields: strings as is, numbers and booleans as `Json::to_text()`,
// null as "", nested objects and arrays as compact JSON text (what APIv2 fields such as
// `detail`, `scene_info` and `receivers` expect); absent members are left out.
// ConfigError (field "xml") when `payload` is neither absent, an object nor an empty array.
WECHATPAY_EXPORT XmlFields to_fields(const Json& payload);

// `<xml>...</xml>` without a declaration. A value holding `<`, `>`, `&`, `'` or `"` is written
// as CDATA (split around any `]]>`); others as text. A carriage return is written as `&#13;`
// (a parser would turn a literal one into LF and change the value). ConfigError (field "xml") for a
// key that is not an XML name or a value holding characters XML 1.0 cannot carry. `always_cdata`
// wraps every value (the style of WeChat Pay's own acknowledgements).
WECHATPAY_EXPORT std::string to_xml(const XmlFields& fields, bool always_cdata = false);

// Parses an APIv2 document: root `<xml>` (or `root`; empty accepts any), one element per field,
// values from text and CDATA, a nested element's children kept as their XML text. XmlError for
// anything malformed, truncated, not rooted as required, with duplicate keys, or with a
// DOCTYPE/ENTITY declaration (no DTD is processed; only the five predefined entities and character
// references expand).
WECHATPAY_EXPORT XmlFields parse_xml(std::string_view text, std::string_view root = "xml");

// The response body (decrypted_body when set) parsed with `parse_xml`.
WECHATPAY_EXPORT XmlFields xml(const Response& response);

// Whether `body` looks like XML (its first non-blank character is '<'); bills and other
// downloads are CSV or gzip and do not.
WECHATPAY_EXPORT bool looks_like_xml(std::string_view body) noexcept;

}  // namespace wechatpay::v2
