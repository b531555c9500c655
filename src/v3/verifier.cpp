#include "wechatpay/v3/verifier.hpp"

#include <charconv>
#include <chrono>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "wechatpay/crypto/rsa.hpp"
#include "wechatpay/errors.hpp"
#include "wechatpay/v3/signer.hpp"

namespace wechatpay::v3 {

namespace {

constexpr std::string_view kSignatureType = "WECHATPAY2-SHA256-RSA2048";

std::string required_header(const Response& response, std::string_view name) {
  auto value = response.headers.get(name);
  if (!value || value->empty()) {
    throw VerificationError("response lacks the " + std::string(name) + " header", response);
  }
  return *value;
}

std::int64_t parse_timestamp(const std::string& text, const Response& response) {
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw VerificationError("Wechatpay-Timestamp is not a number of seconds", response);
  }
  return value;
}

bool is_success(int status) {
  return status >= 200 && status < 300;
}

std::string member_text(const rapidjson::Value& object, const char* name) {
  auto found = object.FindMember(name);
  if (found == object.MemberEnd()) return {};
  if (found->value.IsString()) return found->value.GetString();
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  found->value.Accept(writer);
  return buffer.GetString();
}

}  // namespace

std::int64_t system_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void verify_response(const crypto::KeyStore& keys, const Response& response, std::int64_t now) {
  auto timestamp = required_header(response, "Wechatpay-Timestamp");
  auto nonce = required_header(response, "Wechatpay-Nonce");
  auto serial = required_header(response, "Wechatpay-Serial");
  auto signature = required_header(response, "Wechatpay-Signature");
  if (auto type = response.headers.get("Wechatpay-Signature-Type");
      type && *type != kSignatureType) {
    throw VerificationError("unsupported Wechatpay-Signature-Type " + *type, response);
  }
  auto skew = now - parse_timestamp(timestamp, response);
  if (skew > kMaxClockSkew || skew < -kMaxClockSkew) {
    throw VerificationError("Wechatpay-Timestamp is " + std::to_string(skew < 0 ? -skew : skew) +
                                " s away from local time (at most " +
                                std::to_string(kMaxClockSkew) + " s allowed)",
                            response);
  }
  auto key = keys.find(serial);
  if (!key) {
    throw VerificationError("Wechatpay-Serial " + serial + " is not a known WeChat Pay key",
                            response);
  }
  // The message is the same shape as a request's, minus method and target.
  std::string message = timestamp + "\n" + nonce + "\n" + response.body + "\n";
  if (!crypto::rsa_verify_sha256(*key, message, signature)) {
    throw VerificationError("response signature does not verify with key " + serial, response);
  }
}

bool is_unsigned_download(std::string_view method, std::string_view path) {
  if (method != "GET") return false;
  if (path.ends_with("/v3/billdownload/file")) return true;
  constexpr std::string_view kImages = "/v3/merchant-service/images/";
  auto at = path.rfind(kImages);
  if (at == std::string_view::npos) return false;
  auto media_id = path.substr(at + kImages.size());
  return !media_id.empty() && media_id.find('/') == std::string_view::npos;
}

Middleware verifier(std::shared_ptr<const crypto::KeyStore> keys, Clock now) {
  return map_response(
      [keys = std::move(keys), now = std::move(now)](Response response, const Request& request) {
        if (is_unsigned_download(request.method, request.path())) return response;
        // An unsigned error (a proxy's 502, say) cannot pass as success: http_errors reports it.
        if (!is_success(response.status) && !response.headers.contains("Wechatpay-Signature")) {
          return response;
        }
        verify_response(*keys, response, now());
        response.verified = true;
        return response;
      });
}

Middleware http_errors() {
  return map_response([](Response response, const Request& request) {
    if (is_success(response.status)) return response;
    std::string code, message, detail;
    rapidjson::Document doc;
    doc.Parse(response.body.data(), response.body.size());
    if (!doc.HasParseError() && doc.IsObject()) {
      code = member_text(doc, "code");
      message = member_text(doc, "message");
      detail = member_text(doc, "detail");
    }
    std::string what = "HTTP " + std::to_string(response.status) + " from " + request.method + " " +
                       request.path();
    if (!code.empty()) what += ": " + code;
    if (!message.empty()) what += " " + message;
    if (auto id = response.request_id(); !id.empty()) what += " (Request-ID " + id + ")";
    throw ApiError(what, std::move(response), std::move(code), std::move(message),
                   std::move(detail));
  });
}

}  // namespace wechatpay::v3
