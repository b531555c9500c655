// One APIv3 request as a handler sees it, and the wrapper that runs a handler: fault selection,
// the Authorization check, request validation errors and the signed answer.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <httplib.h>

#include "sandbox.hpp"
#include "wechatpay/json.hpp"

namespace wechatpay::sandbox {

// Thrown by handlers for an error answer (400 PARAM_ERROR, 404 ORDER_NOT_EXIST, ...).
struct ApiFailure {
  int status;
  std::string code, message;
  Json detail{};
};

struct V3Answer {
  int status = 200;
  Json body{};  // absent: 204 No Content
  // Sign with the key PlatformKeyring::signer_for picks for this serial instead of the one the
  // request's Wechatpay-Serial names.
  std::optional<std::string> serial{};
};

class V3Call {
 public:
  V3Call(Sandbox& sandbox, const httplib::Request& request) : sandbox(sandbox), request(request) {}

  Sandbox& sandbox;
  const httplib::Request& request;
  Fault fault{};  // this request's fault (most act on the answer; wrong_hash on a bill's hash)

  // The JSON body; 400 PARAM_ERROR when it is not a JSON object.
  const Json& body();
  // The member at `path` ("amount/total"), or nullptr.
  const Json* find(std::string_view path);
  // Required members; 400 PARAM_ERROR naming `path` when missing, empty or of the wrong type.
  std::string text(std::string_view path);
  std::int64_t integer(std::string_view path);
  const Json& object(std::string_view path);
  // An optional string member, "" when absent.
  std::string optional_text(std::string_view path);
  // A required query parameter (e.g. mchid on queries).
  std::string query(const std::string& name) const;
  // `path` must equal the merchant's mchid (400 PARAM_ERROR otherwise).
  void require_mchid(std::string_view path);
  // An encrypted member, decrypted with the key the request's Wechatpay-Serial names; 400
  // PARAM_ERROR when the serial is missing or unknown or the value does not decrypt. Bench mode
  // skips the decryption. nullopt when the member is absent and `required` is false.
  std::optional<std::string> decrypt(std::string_view path, bool required);
  // The plaintext of `ciphertext`, the value at `path`, by the same rules as decrypt.
  std::string decrypt_value(std::string_view path, const std::string& ciphertext);
  // A regex capture of the route, e.g. the {out_trade_no} in the path.
  std::string match(std::size_t index) const { return request.matches[index].str(); }

 private:
  [[noreturn]] void missing(std::string_view path, std::string_view issue) const;
  std::optional<Json> body_;
};

using V3Handler = std::function<V3Answer(V3Call&)>;

// What the merchant's Authorization signature covers.
enum class SignedPart {
  kBody,  // the request body (every JSON endpoint)
  kMeta,  // the `meta` part of a multipart body (media uploads)
};

// The first steps of every APIv3 request: its fault, then the Authorization check over
// `signed_body` (the request body when absent). nullopt when it has been answered already (400
// for an unknown fault, 401 SIGN_ERROR).
std::optional<Fault> admit_v3(Sandbox& sandbox, const httplib::Request& request,
                              httplib::Response& response,
                              std::optional<std::string_view> signed_body = std::nullopt);

// The httplib handler for `handler`: admit_v3 (after the meta part for SignedPart::kMeta; 400
// without one), runs the handler, and answers signed (reply_v3).
httplib::Server::Handler serve_v3(Sandbox& sandbox, V3Handler handler,
                                  SignedPart signed_part = SignedPart::kBody);

}  // namespace wechatpay::sandbox
