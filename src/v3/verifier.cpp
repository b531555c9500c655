#include "wechatpay/v3/verifier.hpp"

#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>

#include "error_body.hpp"
#include "map_response_keeping.hpp"
#include "redact.hpp"
#include "wechatpay/crypto/rsa.hpp"
#include "wechatpay/errors.hpp"
#include "wechatpay/v3/signer.hpp"

namespace wechatpay::v3 {

namespace {

using ::wechatpay::detail::printable;

constexpr std::string_view kSignatureType = "WECHATPAY2-SHA256-RSA2048";

const std::string& required_header(const Response& message, std::string_view name,
                                   std::string_view subject) {
  const auto* value = message.headers.find(name);
  if (!value || value->empty()) {
    throw VerificationError(std::string(subject) + " lacks the " + std::string(name) + " header",
                            message);
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

void remove_quietly(const std::string& path) {
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
}

}  // namespace

std::int64_t system_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

// What verify_response and verify_signed share: `message` is a response or a notification.
void verify_message(const crypto::KeyStore& keys, const Response& message, std::int64_t now,
                    std::string_view subject) {
  const auto& timestamp = required_header(message, "Wechatpay-Timestamp", subject);
  const auto& nonce = required_header(message, "Wechatpay-Nonce", subject);
  const auto& serial = required_header(message, "Wechatpay-Serial", subject);
  const auto& signature = required_header(message, "Wechatpay-Signature", subject);
  if (const auto* type = message.headers.find("Wechatpay-Signature-Type");
      type && *type != kSignatureType) {
    throw VerificationError("unsupported Wechatpay-Signature-Type " + printable(*type), message);
  }
  // The distance in unsigned arithmetic: a hostile timestamp near the int64 limits must not
  // overflow (found by the fuzzers); the true distance always fits in 64 unsigned bits.
  const auto sent = parse_timestamp(timestamp, message);
  const std::uint64_t skew =
      sent < now ? static_cast<std::uint64_t>(now) - static_cast<std::uint64_t>(sent)
                 : static_cast<std::uint64_t>(sent) - static_cast<std::uint64_t>(now);
  if (skew > static_cast<std::uint64_t>(kMaxClockSkew)) {
    throw VerificationError("Wechatpay-Timestamp is " + std::to_string(skew) +
                                " s away from local time (at most " +
                                std::to_string(kMaxClockSkew) + " s allowed)",
                            message);
  }
  auto key = keys.find(serial);
  if (!key) {
    throw VerificationError(
        "Wechatpay-Serial " + printable(serial) + " is not a known WeChat Pay key", message);
  }
  if (!crypto::rsa_verify_sha256(*key, response_signing_message(timestamp, nonce, message.body),
                                 signature)) {
    throw VerificationError(std::string(subject) + " signature does not verify with key " + serial,
                            message);
  }
}

// The bytes the transport wrote to a sink file (already capped at max_response_bytes).
std::string sink_contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw TransportError("cannot read back the sink file " + path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The response step of the verifier, with the request's method, path and sink file. A body that
// went to a sink is verified over the file's bytes; the file does not survive a failure.
Response verified(const crypto::KeyStore& keys, Response response, std::int64_t now,
                  const std::string& method, const std::string& path,
                  const std::optional<std::string>& sink) {
  if (is_unsigned_download(method, path)) return response;
  // An unsigned error (a proxy's 502, say) cannot pass as success: http_errors reports it.
  if (!is_success(response.status) && !response.headers.contains("Wechatpay-Signature")) {
    if (sink) remove_quietly(*sink);  // an error page, not the file asked for
    return response;
  }
  if (sink) {
    Response signed_file = response;
    signed_file.body = sink_contents(*sink);
    verify_response(keys, signed_file, now);
  } else {
    verify_response(keys, response, now);
  }
  response.verified = true;
  return response;
}

}  // namespace

std::string response_signing_message(std::string_view timestamp, std::string_view nonce,
                                     std::string_view body) {
  std::string message;
  message.reserve(timestamp.size() + nonce.size() + body.size() + 3);
  for (auto part : {timestamp, nonce, body}) message.append(part).append("\n");
  return message;
}

void verify_response(const crypto::KeyStore& keys, const Response& response, std::int64_t now) {
  verify_message(keys, response, now, "response");
}

void verify_signed(const crypto::KeyStore& keys, const Headers& headers, std::string_view body,
                   std::int64_t now, std::string_view subject) {
  Response message;
  message.headers = headers;
  message.body = std::string(body);
  verify_message(keys, message, now, subject);
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

namespace {

// What the verifier middleware holds for every request it sees.
struct VerifierSettings {
  std::shared_ptr<const crypto::KeyStore> keys;
  Clock now;
  UnknownSerialHook on_unknown_serial;
};

// One request's answer on its way back: moved along the chain; copied only into an unknown
// serial's hook.
struct PendingVerification {
  std::shared_ptr<const VerifierSettings> settings;
  Completion done;
  std::string method, path;
  std::optional<std::string> sink;

  void finish(Response response) const {
    try {
      response =
          verified(*settings->keys, std::move(response), settings->now(), method, path, sink);
    } catch (...) {
      if (sink && !is_unsigned_download(method, path)) remove_quietly(*sink);
      return done(std::current_exception(), Response{});
    }
    done(nullptr, std::move(response));
  }
};

}  // namespace

Middleware verifier(std::shared_ptr<const crypto::KeyStore> keys, Clock now,
                    UnknownSerialHook on_unknown_serial) {
  auto settings = std::make_shared<const VerifierSettings>(
      VerifierSettings{std::move(keys), std::move(now), std::move(on_unknown_serial)});
  return [settings](Handler next) -> Handler {
    return [settings, next = std::move(next)](Request request, Completion done) {
      PendingVerification pending{settings, std::move(done), request.method, request.path(),
                                  request.transfer.sink};
      // A consumer would see the bytes before their signature can be checked.
      if (request.transfer.on_body && !is_unsigned_download(pending.method, pending.path)) {
        return pending.done(std::make_exception_ptr(ConfigError(
                                "on_body",
                                "streams a body before its signature can be checked; it is "
                                "for the unsigned downloads (GET /v3/billdownload/file, "
                                "/v3/merchant-service/images/{media_id}); use sink, which is "
                                "verified before the call returns")),
                            Response{});
      }
      next(std::move(request),
           [pending = std::move(pending)](std::exception_ptr error, Response response) {
             if (error) return pending.done(error, Response{});
             const auto& hook = pending.settings->on_unknown_serial;
             const std::string* serial = response.headers.find("Wechatpay-Serial");
             if (!hook || !serial || serial->empty() || pending.settings->keys->find(*serial) ||
                 is_unsigned_download(pending.method, pending.path)) {
               return pending.finish(std::move(response));
             }
             auto held = std::make_shared<Response>(std::move(response));
             const std::string unknown = *serial;
             hook(unknown, [pending, held] { pending.finish(std::move(*held)); });
           });
    };
  };
}

namespace {

// "application/json" or a "+json" type, any case, parameters (charset) ignored.
bool is_json_type(std::string_view type) {
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  constexpr std::string_view kJson = "application/json", kSuffix = "+json";
  if (iequals(type, kJson)) return true;
  return type.size() > kSuffix.size() &&
         iequals(type.substr(type.size() - kSuffix.size()), kSuffix);
}

// What an answer is judged by: the request's method and path, and whether its body went to a file
// or a consumer. Kept instead of the whole request, which is not copied for it.
struct Asked {
  std::string method, path;
  bool streamed = false;

  explicit Asked(const Request& request)
      : method(request.method),
        path(request.path()),
        streamed(request.options && (request.options->sink || request.options->on_body)) {}
};

// A 2xx body from a JSON endpoint must be labelled JSON: an HTML page from a captive portal or a
// misrouted proxy is not an answer, even if something signed it. Downloads and streamed bodies
// are files, and a missing label is left to the caller's JSON parse.
void require_json_body(const Response& response, const Asked& asked) {
  if (response.body.empty() || asked.streamed || is_unsigned_download(asked.method, asked.path)) {
    return;
  }
  const auto* type = response.headers.find("Content-Type");
  if (!type || is_json_type(*type)) return;
  std::string what = "HTTP " + std::to_string(response.status) + " from " + asked.method + " " +
                     asked.path + ": Content-Type " + printable(*type) + " is not JSON";
  if (auto id = response.request_id(); !id.empty()) {
    what += " (Request-ID " + printable(id) + ")";
  }
  throw ResponseError(what, response);
}

// The answer itself when it is a success; else the ApiError it stands for.
Response judged(Response response, const Asked& asked) {
  if (is_success(response.status)) {
    require_json_body(response, asked);
    return response;
  }
  auto fields = detail::json_error_fields(response.body).value_or(detail::ErrorFields{});
  std::string what =
      "HTTP " + std::to_string(response.status) + " from " + asked.method + " " + asked.path;
  if (!fields.code.empty()) what += ": " + printable(fields.code, 64);
  if (!fields.message.empty()) what += " " + printable(fields.message, 256);
  if (auto id = response.request_id(); !id.empty()) what += " (Request-ID " + printable(id) + ")";
  throw ApiError(what, std::move(response), std::move(fields.code), std::move(fields.message),
                 std::move(fields.detail));
}

}  // namespace

Middleware http_errors() {
  return ::wechatpay::detail::map_response_keeping(
      [](const Request& request) { return Asked(request); }, judged);
}

}  // namespace wechatpay::v3
