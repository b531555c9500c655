#include "wechatpay/v2/signature.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "wechatpay/crypto/hash.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::v2 {
namespace {

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

// The sorted `k=v&...` string, skipping empty values and every key in `skip`.
std::string join_sorted(const XmlFields& fields, std::initializer_list<std::string_view> skip) {
  std::vector<const XmlFields::Field*> kept;
  for (const auto& field : fields) {
    if (field.second.empty()) continue;
    if (std::find(skip.begin(), skip.end(), field.first) != skip.end()) continue;
    kept.push_back(&field);
  }
  // std::string compares as unsigned bytes (char_traits<char>), i.e. byte order.
  std::stable_sort(kept.begin(), kept.end(), [](auto* a, auto* b) { return a->first < b->first; });
  std::string out;
  for (const auto* field : kept) {
    if (!out.empty()) out += '&';
    out += field->first;
    out += '=';
    out += field->second;
  }
  return out;
}

}  // namespace

SignType parse_sign_type(std::string_view name) {
  if (name.empty() || name == "MD5") return SignType::kMd5;
  if (name == "HMAC-SHA256") return SignType::kHmacSha256;
  throw ConfigError("sign_type", "unsupported APIv2 sign type `" + std::string(name) +
                                     "` (expected MD5 or HMAC-SHA256)");
}

std::string_view sign_type_name(SignType type) noexcept {
  return type == SignType::kHmacSha256 ? "HMAC-SHA256" : "MD5";
}

std::string signing_string(const XmlFields& fields) {
  return join_sorted(fields, {"sign"});
}

std::string sign(const XmlFields& fields, std::string_view secret, SignType type) {
  std::string message = signing_string(fields);
  message += "&key=";
  message += secret;
  return upper(type == SignType::kHmacSha256 ? crypto::hmac_sha256_hex(secret, message)
                                             : crypto::md5_hex(message));
}

std::string sign(const XmlFields& fields, std::string_view secret) {
  return sign(fields, secret, parse_sign_type(fields.value("sign_type")));
}

bool verify(const XmlFields& fields, std::string_view secret, SignType type) {
  const auto* given = fields.find("sign");
  if (given == nullptr || given->empty()) return false;
  return crypto::constant_time_equals(sign(fields, secret, type), *given);
}

bool verify(const XmlFields& fields, std::string_view secret) {
  const auto* given = fields.find("sign");
  if (given == nullptr) return false;
  return verify(fields, secret, given->size() == 64 ? SignType::kHmacSha256 : SignType::kMd5);
}

std::string workwx_sign(const XmlFields& fields, std::string_view secret) {
  std::string message = join_sorted(fields, {"sign", "workwx_sign"});
  message += "&secret=";
  message += secret;
  return upper(crypto::md5_hex(message));
}

}  // namespace wechatpay::v2
