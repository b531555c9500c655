#include "redact.hpp"

#include <algorithm>

#include "wechatpay/headers.hpp"
#include "wechatpay/redact.hpp"

namespace wechatpay::detail {

namespace {

bool is_signature_parameter(std::string_view name) {
  return iequals(name, "sign") || iequals(name, "paySign");
}

// The quoted value of `name="…"` in an Authorization header, or nothing.
std::string_view quoted_field(std::string_view header, std::string_view name) {
  std::string key = std::string(name) + "=\"";
  for (auto at = header.find(key); at != std::string_view::npos; at = header.find(key, at + 1)) {
    if (at != 0 && header[at - 1] != ' ' && header[at - 1] != ',') continue;
    auto start = at + key.size();
    auto end = header.find('"', start);
    if (end == std::string_view::npos) return {};
    return header.substr(start, end - start);
  }
  return {};
}

}  // namespace

std::string printable(std::string_view text, std::size_t max_bytes) {
  std::string out;
  std::size_t kept = std::min(text.size(), max_bytes);
  // Do not cut a UTF-8 character in two: back up to the start of the one that was cut.
  if (kept < text.size()) {
    while (kept > 0 && (static_cast<unsigned char>(text[kept]) & 0xC0) == 0x80) --kept;
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : text.substr(0, kept)) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7F) {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0x0F];
    } else {
      out += c;
    }
  }
  if (kept < text.size()) out += "...";
  return out;
}

std::string describe_request(std::string_view method, std::string_view url) {
  return printable(method, 32) + " " + printable(redact_url(url), 512) + ": ";
}

std::string redact_url(std::string_view url) {
  auto query_at = url.find('?');
  if (query_at == std::string_view::npos) return std::string(url);
  std::string out(url.substr(0, query_at + 1));
  std::string_view query = url.substr(query_at + 1);
  bool first = true;
  while (true) {
    auto end = query.find('&');
    std::string_view pair = query.substr(0, end);
    std::string_view name = pair.substr(0, pair.find('='));
    if (!first) out += '&';
    first = false;
    out += is_signature_parameter(name) ? std::string(name) + "=***" : std::string(pair);
    if (end == std::string_view::npos) break;
    query.remove_prefix(end + 1);
  }
  return out;
}

std::string redact_authorization(std::string_view value) {
  auto space = value.find(' ');
  auto mchid = quoted_field(value, "mchid");
  auto serial = quoted_field(value, "serial_no");
  if (space == std::string_view::npos || mchid.empty() || serial.empty()) return "***";
  std::string out(value.substr(0, space));
  out.append(" mchid=\"").append(mchid).append("\",serial_no=\"").append(serial).append("\"");
  return out;
}

}  // namespace wechatpay::detail

namespace wechatpay {

std::string redacted_url(std::string_view url) {
  return detail::redact_url(url);
}

std::string redacted_header(std::string_view name, std::string_view value) {
  if (iequals(name, "Authorization")) return detail::redact_authorization(value);
  if (iequals(name, "Proxy-Authorization") || iequals(name, "Cookie")) return "***";
  return std::string(value);
}

}  // namespace wechatpay
