#include "uri_template.hpp"

#include <algorithm>

#include "redact.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::detail {

namespace {

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool is_reserved(unsigned char c) {
  static constexpr std::string_view kReserved = ":/?#[]@!$&'()*+,;=";
  return kReserved.find(static_cast<char>(c)) != std::string_view::npos;
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

// Far above any WeChat Pay path, and above what servers take in a request line (8 KiB is common).
constexpr std::size_t kMaxExpandedBytes = 64 * 1024;

void require_bounded(const std::string& expanded) {
  if (expanded.size() > kMaxExpandedBytes) {
    throw ConfigError("path", "the URI template expands to more than " +
                                  std::to_string(kMaxExpandedBytes) + " bytes");
  }
}

bool is_varchar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

bool is_sub_delim(char c) {
  return std::string_view("!$&'()*+,;=").find(c) != std::string_view::npos;
}

// RFC 3986 pchar without the %XX case, plus the separator '/'.
bool is_path_char(char c) {
  return is_unreserved(static_cast<unsigned char>(c)) || is_sub_delim(c) || c == ':' || c == '@' ||
         c == '/';
}

// "." or "..", also spelled %2E (RFC 3986 normalises those to dots, and so may a server).
bool is_dot_segment(std::string_view segment) {
  std::size_t dots = 0;
  for (std::size_t i = 0; i < segment.size(); ++dots) {
    if (segment[i] == '.') {
      i += 1;
    } else if (segment.substr(i, 3) == "%2E" || segment.substr(i, 3) == "%2e") {
      i += 3;
    } else {
      return false;
    }
  }
  return dots == 1 || dots == 2;
}

bool is_tchar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

}  // namespace

std::string percent_encode(std::string_view value, bool allow_reserved) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    auto c = static_cast<unsigned char>(value[i]);
    bool keep = is_unreserved(c) || (allow_reserved && is_reserved(c));
    // {+var} keeps an existing triplet as it is, so an already-encoded value is not re-encoded.
    if (!keep && allow_reserved && c == '%' && i + 2 < value.size() && is_hex(value[i + 1]) &&
        is_hex(value[i + 2])) {
      keep = true;
    }
    if (keep) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0F];
    }
  }
  return out;
}

std::string expand_uri_template(std::string_view uri_template, const Params& params) {
  std::string out;
  out.reserve(uri_template.size() + 32);
  std::size_t pos = 0;
  while (pos < uri_template.size()) {
    auto open = uri_template.find_first_of("{}", pos);
    if (open == std::string_view::npos) {
      out.append(uri_template.substr(pos));
      break;
    }
    if (uri_template[open] == '}') {
      throw ConfigError("path", "unbalanced '}' in URI template '" + printable(uri_template) + "'");
    }
    out.append(uri_template.substr(pos, open - pos));
    auto close = uri_template.find('}', open);
    if (close == std::string_view::npos) {
      throw ConfigError("path",
                        "unterminated '{' in URI template '" + printable(uri_template) + "'");
    }
    std::string_view expression = uri_template.substr(open + 1, close - open - 1);
    bool reserved = !expression.empty() && expression.front() == '+';
    if (reserved) expression.remove_prefix(1);
    if (expression.empty() || !std::all_of(expression.begin(), expression.end(), is_varchar)) {
      throw ConfigError("path", "unsupported URI template expression '{" +
                                    printable(uri_template.substr(open + 1, close - open - 1)) +
                                    "}' (only {name} and {+name} are supported)");
    }
    if (auto found = params.find(expression); found != params.end()) {
      out += percent_encode(found->second, reserved);
    }
    // Each expression copies its value: a template repeating one would multiply a long value.
    require_bounded(out);
    pos = close + 1;
  }
  require_bounded(out);
  return out;
}

std::string expand_request_path(std::string_view uri_template, const Params& params) {
  std::string path = expand_uri_template(uri_template, params);
  std::string_view rest = path;
  while (true) {
    const auto slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    for (std::size_t i = 0; i < segment.size(); ++i) {
      if (is_path_char(segment[i])) continue;
      if (segment[i] == '%' && i + 2 < segment.size() && is_hex(segment[i + 1]) &&
          is_hex(segment[i + 2])) {
        i += 2;
        continue;
      }
      throw ConfigError("path", "segment `" + printable(segment) +
                                    "` holds a character a URL path cannot carry as signed (" +
                                    printable(segment.substr(i, 1)) +
                                    "); put values in params (encoded) or query");
    }
    if (is_dot_segment(segment)) {
      throw ConfigError("path", "segment `" + printable(segment) +
                                    "` is a dot segment: libcurl would resolve it and send "
                                    "another path than the one signed");
    }
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return path;
}

void check_method(std::string_view method) {
  if (method.empty() || !std::all_of(method.begin(), method.end(), is_tchar)) {
    throw ConfigError("method", "`" + printable(method, 32) + "` is not an HTTP method token");
  }
}

std::string encode_query(const Query& query) {
  std::string out;
  for (const auto& [key, value] : query) {
    if (!out.empty()) out += '&';
    out += percent_encode(key);
    out += '=';
    out += percent_encode(value);
  }
  return out;
}

}  // namespace wechatpay::detail
