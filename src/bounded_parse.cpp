#include "wechatpay/bounded_parse.hpp"

#include <rapidjson/encodedstream.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include "bounded_xml.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay {

namespace {

std::string too_large(std::string_view subject, std::size_t max_bytes) {
  return std::string(subject) + " is larger than " + std::to_string(max_bytes) + " bytes";
}

std::string too_deep(std::string_view subject, std::size_t max_depth) {
  return std::string(subject) + " nests deeper than " + std::to_string(max_depth) + " levels";
}

std::string too_many(std::string_view subject, std::size_t max_values, std::string_view what) {
  return std::string(subject) + " holds more than " + std::to_string(max_values) + " " +
         std::string(what);
}

// Forwards RapidJSON's SAX events to the document building the DOM, counting depth and values on
// the way; returning false stops the reader at once.
class LimitedHandler {
 public:
  LimitedHandler(rapidjson::Document& doc, const ParseLimits& limits)
      : doc_(doc), limits_(limits) {}

  bool Null() { return value() && doc_.Null(); }
  bool Bool(bool b) { return value() && doc_.Bool(b); }
  bool Int(int i) { return value() && doc_.Int(i); }
  bool Uint(unsigned u) { return value() && doc_.Uint(u); }
  bool Int64(std::int64_t i) { return value() && doc_.Int64(i); }
  bool Uint64(std::uint64_t u) { return value() && doc_.Uint64(u); }
  bool Double(double d) { return value() && doc_.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) {
    return value() && doc_.RawNumber(s, n, copy);
  }
  bool String(const char* s, rapidjson::SizeType n, bool copy) {
    return value() && doc_.String(s, n, copy);
  }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) { return doc_.Key(s, n, copy); }
  bool StartObject() { return value() && open() && doc_.StartObject(); }
  bool EndObject(rapidjson::SizeType members) {
    --depth_;
    return doc_.EndObject(members);
  }
  bool StartArray() { return value() && open() && doc_.StartArray(); }
  bool EndArray(rapidjson::SizeType items) {
    --depth_;
    return doc_.EndArray(items);
  }

  bool too_deep() const { return too_deep_; }
  bool too_many() const { return too_many_; }

 private:
  bool value() {
    too_many_ = ++values_ > limits_.max_values;
    return !too_many_;
  }
  bool open() {
    too_deep_ = ++depth_ > limits_.max_depth;
    return !too_deep_;
  }

  rapidjson::Document& doc_;
  const ParseLimits& limits_;
  std::size_t depth_ = 0;
  std::size_t values_ = 0;
  bool too_deep_ = false;
  bool too_many_ = false;
};

template <unsigned Flags>
rapidjson::ParseResult read_json(std::string_view text, LimitedHandler& handler) {
  rapidjson::MemoryStream memory(text.data(), text.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> input(memory);
  rapidjson::Reader reader;
  return reader.Parse<Flags | rapidjson::kParseIterativeFlag>(input, handler);
}

}  // namespace

rapidjson::Document parse_bounded_json(std::string_view text, std::string_view subject,
                                       const ParseLimits& limits, bool full_precision) {
  if (text.size() > limits.max_bytes) throw Error(too_large(subject, limits.max_bytes));
  rapidjson::Document doc;
  rapidjson::ParseResult result;
  bool too_deep_seen = false, too_many_seen = false;
  auto generate = [&](rapidjson::Document& target) {
    LimitedHandler handler(target, limits);
    result = full_precision ? read_json<rapidjson::kParseFullPrecisionFlag>(text, handler)
                            : read_json<rapidjson::kParseNoFlags>(text, handler);
    too_deep_seen = handler.too_deep();
    too_many_seen = handler.too_many();
    return !result.IsError();
  };
  doc.Populate(generate);
  if (too_deep_seen) throw Error(too_deep(subject, limits.max_depth));
  if (too_many_seen) throw Error(too_many(subject, limits.max_values, "values"));
  if (result.IsError()) {
    throw Error(std::string(subject) +
                " is not valid JSON: " + rapidjson::GetParseError_En(result.Code()) +
                " at offset " + std::to_string(result.Offset()));
  }
  return doc;
}

namespace detail {

namespace {

constexpr std::string_view kXml = "XML";

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// XML 1.0's Char production: what a character reference may name.
bool is_xml_char(std::uint32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

// The numeric value of "#65" or "#x41"; false when malformed or out of range.
bool character_reference(std::string_view name, std::uint32_t& value) {
  if (name.size() < 2 || name[0] != '#') return false;
  const bool hex = name[1] == 'x';
  std::string_view digits = name.substr(hex ? 2 : 1);
  if (digits.empty() || digits.size() > 8) return false;
  value = 0;
  for (char c : digits) {
    int digit = -1;
    if (c >= '0' && c <= '9') digit = c - '0';
    if (hex && c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    if (hex && c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    if (digit < 0) return false;
    value = value * (hex ? 16 : 10) + static_cast<std::uint32_t>(digit);
  }
  return true;
}

// Checks the reference starting at text[at] == '&'; returns the offset just after its ';'.
std::size_t skip_reference(std::string_view text, std::size_t at) {
  constexpr std::size_t kLongest = 10;  // "&#x10FFFF;"
  const auto semicolon = text.substr(at, kLongest + 1).find(';');
  if (semicolon == std::string_view::npos) throw XmlError("XML: a `&` that starts no reference");
  const std::string_view name = text.substr(at + 1, semicolon - 1);
  if (name == "lt" || name == "gt" || name == "amp" || name == "apos" || name == "quot") {
    return at + semicolon + 1;
  }
  std::uint32_t value = 0;
  if (!character_reference(name, value)) {
    throw XmlError(
        "XML: undefined entity (only &lt; &gt; &amp; &apos; &quot; and character "
        "references are defined)");
  }
  if (!is_xml_char(value)) {
    throw XmlError("XML: a character reference to a character XML 1.0 does not allow");
  }
  return at + semicolon + 1;
}

// Where the markup that opens at text[at] ends (just past `close`); XmlError when it does not.
std::size_t skip_to(std::string_view text, std::size_t at, std::string_view close,
                    std::string_view what) {
  const auto end = text.find(close, at);
  if (end == std::string_view::npos) throw XmlError("XML: unterminated " + std::string(what));
  return end + close.size();
}

// A pre-scan of the document's structure, linear and without recursion. It only refuses: the
// parse itself is tinyxml2's.
class Scan {
 public:
  Scan(std::string_view text, const ParseLimits& limits) : text_(text), limits_(limits) {}

  void run() {
    std::size_t at = text_.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    while (at < text_.size()) {
      const char c = text_[at];
      if (c == '<') {
        at = markup(at);
      } else if (c == '&') {
        if (depth_ == 0) throw XmlError("XML: a reference outside the root element");
        at = skip_reference(text_, at);
      } else if (c == ']' && text_.substr(at, 3) == "]]>") {
        throw XmlError("XML: `]]>` in text");
      } else {
        if (depth_ == 0 && !is_space(c)) throw XmlError("XML: text outside the root element");
        ++at;
      }
    }
  }

 private:
  std::size_t markup(std::size_t at) {
    const std::string_view rest = text_.substr(at);
    if (rest.starts_with("<!--")) return skip_to(text_, at + 4, "-->", "comment");
    if (rest.starts_with("<![CDATA[")) {
      if (depth_ == 0) throw XmlError("XML: a CDATA section outside the root element");
      return skip_to(text_, at + 9, "]]>", "CDATA section");
    }
    if (rest.starts_with("<?")) return skip_to(text_, at + 2, "?>", "processing instruction");
    if (rest.starts_with("<!")) throw XmlError("XML: document type declarations are not accepted");
    return tag(at);
  }

  // A start, end or empty-element tag: quoted attribute values may not hold `<`, and their
  // references must be defined.
  std::size_t tag(std::size_t at) {
    const bool end_tag = text_.substr(at, 2) == "</";
    char quote = 0;
    std::size_t i = at + 1;
    for (; i < text_.size(); ++i) {
      const char c = text_[i];
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '<') {
          throw XmlError("XML: `<` in an attribute value");
        } else if (c == '&') {
          i = skip_reference(text_, i) - 1;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '<') {
        throw XmlError("XML: `<` inside a tag");
      } else if (c == '>') {
        break;
      }
    }
    if (i == text_.size()) throw XmlError("XML: unterminated tag");
    if (end_tag) {
      if (depth_ == 0) throw XmlError("XML: an end tag without its start tag");
      --depth_;
    } else {
      if (depth_ == 0 && seen_root_) throw XmlError("XML: a second root element");
      seen_root_ = true;
      if (++elements_ > limits_.max_values) {
        throw XmlError(too_many(kXml, limits_.max_values, "elements"));
      }
      const bool empty_element = text_[i - 1] == '/';
      if (!empty_element && ++depth_ > limits_.max_depth) {
        throw XmlError(too_deep(kXml, limits_.max_depth));
      }
    }
    return i + 1;
  }

  std::string_view text_;
  const ParseLimits& limits_;
  std::size_t depth_ = 0;
  std::size_t elements_ = 0;
  bool seen_root_ = false;
};

}  // namespace

void parse_bounded_xml(tinyxml2::XMLDocument& doc, std::string_view text,
                       const ParseLimits& limits) {
  if (text.size() > limits.max_bytes) throw XmlError(too_large(kXml, limits.max_bytes));
  Scan(text, limits).run();
  if (doc.Parse(text.data(), text.size()) != tinyxml2::XML_SUCCESS) {
    throw XmlError(std::string("XML: ") + doc.ErrorName() + " at line " +
                   std::to_string(doc.ErrorLineNum()));
  }
}

}  // namespace detail
}  // namespace wechatpay
