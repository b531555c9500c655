// The v2 stack's response side: http_errors (status) and transform_response (FAIL, sign).
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <variant>

#include "error_body.hpp"
#include "map_response_keeping.hpp"
#include "redact.hpp"
#include "v2/endpoints.hpp"
#include "v2/result.hpp"
#include "wechatpay/bounded_parse.hpp"
#include "wechatpay/errors.hpp"
#include "wechatpay/v2/signature.hpp"
#include "wechatpay/v2/stack.hpp"
#include "wechatpay/v2/xml.hpp"

namespace wechatpay::v2 {
namespace {

// A sink file at most this big is read back to see whether it is an XML FAIL answer.
constexpr std::uintmax_t kSinkPeekLimit = 1u << 20;

std::string reason_phrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 413:
      return "Payload Too Large";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "HTTP " + std::to_string(status);
  }
}

// The body the transport wrote to the request's sink file, when small enough to inspect.
std::optional<std::string> sink_contents(const Request& request) {
  std::optional<std::string> path = request.transfer.sink;
  if (!path && request.options) path = request.options->sink;
  if (!path) return std::nullopt;
  std::error_code error;
  const auto size = std::filesystem::file_size(*path, error);
  if (error || size > kSinkPeekLimit) return std::string();
  std::ifstream in(*path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A JSON answer ({"retcode":0,"retmsg":"ok",...}): passed on unverified (nothing signs it) when
// retcode is 0, else an ApiError with retcode and retmsg.
Response check_json(Response response) {
  const auto doc = parse_bounded_json(response.body, "APIv2 JSON answer");
  std::string code, message;
  if (doc.IsObject()) {
    if (auto found = doc.FindMember("retcode"); found != doc.MemberEnd()) {
      if (found->value.IsInt64()) code = std::to_string(found->value.GetInt64());
      if (found->value.IsString()) code = found->value.GetString();
    }
    if (auto found = doc.FindMember("retmsg");
        found != doc.MemberEnd() && found->value.IsString()) {
      message = found->value.GetString();
    }
  }
  if (code == "0") return response;
  const std::string what = "APIv2 " +
                           (code.empty() ? std::string("JSON answer without retcode")
                                         : "retcode " + detail::printable(code, 64)) +
                           (message.empty() ? "" : ": " + detail::printable(message, 256));
  throw ApiError(what, std::move(response), std::move(code), std::move(message), "");
}

Response check(Response response, const Request& request, const Settings& settings) {
  const std::string path = endpoint_path(request, settings.base_uri);
  if (is_json_endpoint(path) && !looks_like_xml(response.body)) {
    return check_json(std::move(response));
  }
  std::optional<std::string> sunk = sink_contents(request);
  const std::string& body = sunk ? *sunk : response.body;
  // Files (bills, and whatever went to a sink) are not XML: nothing to parse or verify.
  if ((sunk || is_download_endpoint(path)) && !looks_like_xml(body)) return response;

  const XmlFields fields = parse_xml(body);
  const ResultCheck result = check_result(fields);
  const bool signless = is_signless_endpoint(path);
  if (result.failed && !result.signed_answer) throw_api_error(fields, std::move(response));
  if (!signless && !verify(fields, settings.secret)) {
    throw VerificationError("APIv2 response: the sign does not verify", std::move(response));
  }
  if (result.failed) throw_api_error(fields, std::move(response));
  response.verified = !signless;
  return response;
}

}  // namespace

Middleware transform_response(std::shared_ptr<const Settings> settings) {
  if (!settings) throw ConfigError("v2", "transform_response needs the APIv2 settings");
  // A consumer would see the bytes before the sign is checked: only for the file downloads.
  auto guard = map_request([settings](Request request) {
    const bool consumer = request.transfer.on_body || (request.options && request.options->on_body);
    if (consumer && !is_download_endpoint(endpoint_path(request, settings->base_uri))) {
      throw ConfigError("on_body",
                        "streams a body before its sign can be checked; it is for the bill "
                        "downloads (pay/downloadbill, pay/downloadfundflow); use sink");
    }
    return request;
  });
  auto checked = map_response([settings](Response response, const Request& request) {
    return check(std::move(response), request, *settings);
  });
  return [guard, checked](Handler next) { return guard(checked(std::move(next))); };
}

Middleware http_errors() {
  // Judged by the answer alone: nothing of the request is kept for it.
  return ::wechatpay::detail::map_response_keeping(
      [](const Request&) { return std::monostate{}; },
      [](Response response, std::monostate) {
        if (response.status >= 200 && response.status < 300) return response;
        std::string code = reason_phrase(response.status);
        std::string message;
        if (auto json = detail::json_error_fields(response.body); json && !json->code.empty()) {
          // Some APIv2 hosts answer errors in APIv3's JSON shape; keep WeChat Pay's code.
          code = std::move(json->code);
          message = std::move(json->message);
        } else if (looks_like_xml(response.body)) {
          try {
            const XmlFields fields = parse_xml(response.body);
            message = fields.value("return_msg");
          } catch (const XmlError&) {
            // An HTML or broken error page: the status alone says what happened.
          }
        }
        const std::string what = "APIv2 HTTP " + std::to_string(response.status) + " " +
                                 detail::printable(code, 64) +
                                 (message.empty() ? "" : ": " + detail::printable(message, 256));
        throw ApiError(what, std::move(response), code, message, "");
      });
}

}  // namespace wechatpay::v2
