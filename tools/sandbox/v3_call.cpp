#include "v3_call.hpp"

#include "v3_security.hpp"
#include "wechatpay/crypto/rsa.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::sandbox {
namespace {

std::optional<std::int64_t> as_integer(const Json& value) {
  return value.visit([](const auto& v) -> std::optional<std::int64_t> {
    using T = std::decay_t<decltype(v)>;
    if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, std::uint64_t>) {
      return static_cast<std::int64_t>(v);
    } else {
      return std::nullopt;
    }
  });
}

}  // namespace

const Json& V3Call::body() {
  if (!body_) {
    try {
      body_ = Json::parse(request.body);
    } catch (const Error& e) {
      throw ApiFailure{400, "PARAM_ERROR", std::string("the body is not JSON: ") + e.what()};
    }
    if (!body_->is_object()) throw ApiFailure{400, "PARAM_ERROR", "the body must be a JSON object"};
  }
  return *body_;
}

const Json* V3Call::find(std::string_view path) {
  const Json* at = &body();
  while (at && !path.empty()) {
    std::string_view name = path.substr(0, path.find('/'));
    path.remove_prefix(std::min(path.size(), name.size() + 1));
    at = at->find(name);
  }
  return at;
}

void V3Call::missing(std::string_view path, std::string_view issue) const {
  std::string field = "/body/" + std::string(path);
  throw ApiFailure{400, "PARAM_ERROR", std::string(path) + " " + std::string(issue),
                   Json{{"field", field}, {"location", "body"}, {"issue", issue}}};
}

std::string V3Call::text(std::string_view path) {
  const Json* value = find(path);
  if (!value) missing(path, "is required");
  if (!value->is_string() || value->str().empty()) missing(path, "must be a non-empty string");
  return value->str();
}

std::int64_t V3Call::integer(std::string_view path) {
  const Json* value = find(path);
  if (!value) missing(path, "is required");
  auto number = as_integer(*value);
  if (!number) missing(path, "must be an integer");
  return *number;
}

const Json& V3Call::object(std::string_view path) {
  const Json* value = find(path);
  if (!value) missing(path, "is required");
  if (!value->is_object()) missing(path, "must be an object");
  return *value;
}

std::string V3Call::optional_text(std::string_view path) {
  const Json* value = find(path);
  return value && value->is_string() ? value->str() : "";
}

std::string V3Call::query(const std::string& name) const {
  std::string value = request.get_param_value(name.c_str());
  if (value.empty()) {
    throw ApiFailure{400, "PARAM_ERROR", "query parameter " + name + " is required",
                     Json{{"field", name}, {"location", "query"}, {"issue", "is required"}}};
  }
  return value;
}

void V3Call::require_mchid(std::string_view path) {
  if (text(path) != sandbox.credentials.mchid) {
    throw ApiFailure{400, "PARAM_ERROR",
                     std::string(path) + " does not match the merchant in Authorization"};
  }
}

std::optional<std::string> V3Call::decrypt(std::string_view path, bool required) {
  if (!required && !find(path)) return std::nullopt;
  return decrypt_value(path, text(path));
}

std::string V3Call::decrypt_value(std::string_view path, const std::string& ciphertext) {
  if (!request.has_header("Wechatpay-Serial")) {
    throw ApiFailure{400, "PARAM_ERROR",
                     "the request carries encrypted fields (" + std::string(path) +
                         ") but no Wechatpay-Serial header naming the key they are encrypted for"};
  }
  std::string serial = request.get_header_value("Wechatpay-Serial");
  crypto::PrivateKey key = sandbox.platform.private_key_for(serial);
  if (!key) {
    throw ApiFailure{400, "PARAM_ERROR",
                     "Wechatpay-Serial " + serial + " names no WeChat Pay certificate or key"};
  }
  if (sandbox.bench) return ciphertext;
  try {
    return crypto::rsa_oaep_decrypt(key, ciphertext);
  } catch (const CryptoError&) {
    throw ApiFailure{
        400, "PARAM_ERROR",
        std::string(path) + " does not decrypt with the key Wechatpay-Serial " + serial + " names"};
  }
}

std::optional<Fault> admit_v3(Sandbox& sandbox, const httplib::Request& request,
                              httplib::Response& response,
                              std::optional<std::string_view> signed_body) {
  Fault fault;
  try {
    fault = sandbox.faults.take(request);
  } catch (const std::invalid_argument& e) {
    reply_v3(sandbox, request, response, 400, error_body("PARAM_ERROR", e.what()), {});
    return std::nullopt;
  }
  if (std::string problem = check_authorization(sandbox.credentials, request, signed_body);
      !problem.empty()) {
    reply_v3(sandbox, request, response, 401, error_body("SIGN_ERROR", problem), fault);
    return std::nullopt;
  }
  return fault;
}

httplib::Server::Handler serve_v3(Sandbox& sandbox, V3Handler handler, SignedPart signed_part) {
  return [&sandbox, handler = std::move(handler), signed_part](const httplib::Request& request,
                                                               httplib::Response& response) {
    std::optional<std::string> signed_body;
    if (signed_part == SignedPart::kMeta) {
      if (!request.has_file("meta")) {
        reply_v3(sandbox, request, response, 400,
                 error_body("PARAM_ERROR", "the multipart body has no meta part"), {});
        return;
      }
      signed_body = request.get_file_value("meta").content;
    }
    std::optional<Fault> fault = admit_v3(sandbox, request, response, signed_body);
    if (!fault) return;
    V3Call call(sandbox, request);
    call.fault = *fault;
    int status = 200;
    std::string body;
    std::optional<std::string> serial;
    try {
      V3Answer answer = handler(call);
      status = answer.body.is_absent() && answer.status == 200 ? 204 : answer.status;
      if (!answer.body.is_absent()) body = answer.body.dump();
      serial = std::move(answer.serial);
    } catch (const ApiFailure& failure) {
      status = failure.status;
      body = error_body(failure.code, failure.message, failure.detail);
    }
    reply_v3(sandbox, request, response, status, std::move(body), *fault, std::move(serial));
  };
}

}  // namespace wechatpay::sandbox
