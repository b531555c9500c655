#include "v3_security.hpp"

#include <map>
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

namespace {

// The parameters of `WECHATPAY2-SHA256-RSA2048 k="v",k="v",...`, in any order (WeChat Pay's own
// SDKs differ in the order they send them); nullopt when the header is not of that form or
// repeats or lacks one of the five.
std::optional<std::map<std::string, std::string>> authorization_parameters(
    const std::string& header) {
  static const std::string kScheme = "WECHATPAY2-SHA256-RSA2048 ";
  static const std::regex kList(R"re(\s*[a-z_]+="[^"]*"\s*(,\s*[a-z_]+="[^"]*"\s*)*)re");
  static const std::regex kParameter(R"re(([a-z_]+)="([^"]*)")re");
  if (!header.starts_with(kScheme)) return std::nullopt;
  const std::string list = header.substr(kScheme.size());
  if (!std::regex_match(list, kList)) return std::nullopt;
  std::map<std::string, std::string> parameters;
  for (std::sregex_iterator it(list.begin(), list.end(), kParameter), end; it != end; ++it) {
    if (!parameters.emplace((*it)[1].str(), (*it)[2].str()).second) return std::nullopt;
  }
  for (auto name : {"mchid", "serial_no", "timestamp", "nonce_str", "signature"}) {
    if (!parameters.contains(name)) return std::nullopt;
  }
  if (parameters.size() != 5) return std::nullopt;
  return parameters;
}

}  // namespace

std::string check_authorization(const Credentials& credentials, const httplib::Request& request,
                                std::optional<std::string_view> signed_body) {
  static const std::regex kTimestamp(R"(\d{1,12})");
  static const std::regex kSignature(R"([A-Za-z0-9+/=]+)");
  const std::string header = request.get_header_value("Authorization");
  if (header.empty()) return "the Authorization header is missing";
  auto parameters = authorization_parameters(header);
  if (!parameters || !std::regex_match((*parameters)["timestamp"], kTimestamp) ||
      (*parameters)["nonce_str"].empty() ||
      !std::regex_match((*parameters)["signature"], kSignature)) {
    return "the Authorization header is not WECHATPAY2-SHA256-RSA2048 with mchid, serial_no, "
           "timestamp, nonce_str and signature (in any order)";
  }
  auto& p = *parameters;
  if (p["mchid"] != credentials.mchid) return "mchid " + p["mchid"] + " is not this merchant";
  if (p["serial_no"] != credentials.merchant_cert.serial) {
    return "serial_no " + p["serial_no"] + " is not the merchant certificate's serial";
  }
  const std::int64_t skew = now_seconds() - std::stoll(p["timestamp"]);
  if (skew > v3::kMaxClockSkew || skew < -v3::kMaxClockSkew) {
    return "the timestamp is " + std::to_string(skew) + " s away from the server's clock";
  }
  const std::string message =
      v3::signing_message(request.method, request.target, p["timestamp"], p["nonce_str"],
                          signed_body.value_or(request.body));
  if (!crypto::rsa_verify_sha256(credentials.merchant_cert.key, message, p["signature"])) {
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
