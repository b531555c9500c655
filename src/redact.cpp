#include "redact.hpp"

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
