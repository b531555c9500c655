#include "v3_security.hpp"

#include <regex>

#include "respond.hpp"
#include "util.hpp"
#include "wechatpay/crypto/nonce.hpp"
#include "wechatpay/crypto/rsa.hpp"
#include "wechatpay/v3/signer.hpp"
#include "wechatpay/v3/verifier.hpp"

namespace wechatpay::sandbox {
namespace {

// A bench-mode signature stays in use for a minute: well inside the clients' 300 s window.
constexpr std::int64_t kBenchSignatureAge = 60;

ResponseSignature sign(const crypto::PrivateKey& key, std::int64_t timestamp,
                       const std::string& body) {
  ResponseSignature s{std::to_string(timestamp), crypto::nonce(32), ""};
  s.signature =
      crypto::rsa_sign_sha256(key, v3::response_signing_message(s.timestamp, s.nonce, body));
  return s;
}

}  // namespace

std::string check_authorization(const Credentials& credentials, const httplib::Request& request,
                                std::optional<std::string_view> signed_body) {
  static const std::regex kAuthorization(
      R"re(WECHATPAY2-SHA256-RSA2048 mchid="([^"]*)",serial_no="([^"]*)",timestamp="(\d{1,12})",nonce_str="([^"]+)",signature="([A-Za-z0-9+/=]+)")re");
  const std::string header = request.get_header_value("Authorization");
  std::smatch m;
  if (header.empty()) return "the Authorization header is missing";
  if (!std::regex_match(header, m, kAuthorization)) {
    return "the Authorization header is not WECHATPAY2-SHA256-RSA2048 "
           "mchid=\"…\",serial_no=\"…\",timestamp=\"…\",nonce_str=\"…\",signature=\"…\"";
  }
  if (m[1] != credentials.mchid) return "mchid " + m[1].str() + " is not this merchant";
  if (m[2] != credentials.merchant_cert.serial) {
    return "serial_no " + m[2].str() + " is not the merchant certificate's serial";
  }
  const std::int64_t skew = now_seconds() - std::stoll(m[3].str());
  if (skew > v3::kMaxClockSkew || skew < -v3::kMaxClockSkew) {
    return "the timestamp is " + std::to_string(skew) + " s away from the server's clock";
  }
  const std::string message = v3::signing_message(request.method, request.target, m[3].str(),
                                                  m[4].str(), signed_body.value_or(request.body));
  if (!crypto::rsa_verify_sha256(credentials.merchant_cert.key, message, m[5].str())) {
    return "the signature does not verify with the merchant certificate";
  }
  return "";
}

std::string error_body(std::string_view code, std::string_view message, const Json& detail) {
  Json body = {{"code", code}, {"message", message}};
  if (!detail.is_absent()) body.set("detail", detail);
  return body.dump();
}

void reply_v3(Sandbox& sandbox, const httplib::Request& request, httplib::Response& response,
              int status, std::string body, const Fault& fault,
              std::optional<std::string> requested) {
  if (fault.kind == FaultKind::kServerError) {
    status = fault.status;
    body = error_body("SYSTEM_ERROR", "system error (sandbox fault server_error)");
  } else if (fault.kind == FaultKind::kTooManyRequests) {
    status = 429;
    body = error_body("FREQUENCY_LIMITED", "too many requests (sandbox fault too_many_requests)");
  }

  SigningKey signer =
      sandbox.platform.signer_for(requested.value_or(request.get_header_value("Wechatpay-Serial")));
  std::string serial = signer.serial;
  const crypto::PrivateKey& key = signer.key;
  std::int64_t timestamp = now_seconds();
  if (fault.kind == FaultKind::kSkewedTimestamp) timestamp -= 600;
  ResponseSignature s =
      sandbox.bench ? sandbox.cached_signature(serial + "\n" + body, timestamp, kBenchSignatureAge,
                                               [&] { return sign(key, timestamp, body); })
                    : sign(key, timestamp, body);
  if (fault.kind == FaultKind::kBadSignature) body += " ";  // the bytes no longer match
  if (fault.kind == FaultKind::kUnknownSerial) serial = "5157F09EFDC096DE15EBE81A47057A72";

  Reply reply{.status = status, .body = std::move(body)};
  if (fault.kind != FaultKind::kMissingHeaders) {
    reply.headers = {{"Wechatpay-Timestamp", s.timestamp},
                     {"Wechatpay-Nonce", s.nonce},
                     {"Wechatpay-Serial", serial},
                     {"Wechatpay-Signature", s.signature},
                     {"Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048"}};
  }
  if (fault.retry_after >= 0)
    reply.headers.emplace_back("Retry-After", std::to_string(fault.retry_after));
  send(sandbox, request, response, std::move(reply), fault);
}

}  // namespace wechatpay::sandbox
