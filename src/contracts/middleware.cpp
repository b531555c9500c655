// The contract middleware: validate, encrypt_fields, decrypt_fields (docs/contracts.md).
#include "wechatpay/contracts/middleware.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "contracts/request_body.hpp"
#include "wechatpay/bounded_parse.hpp"
#include "wechatpay/contracts/sensitive.hpp"
#include "wechatpay/contracts/validation.hpp"
#include "wechatpay/contracts/validation_error.hpp"
#include "wechatpay/crypto/encoding.hpp"
#include "wechatpay/crypto/rsa.hpp"
#include "wechatpay/v2/xml.hpp"

namespace wechatpay::contracts {

namespace {

const Options& options_of(const Request& request) {
  static const Options kNone;
  return request.options ? *request.options : kNone;
}

const Contract* contract_for(const MiddlewareSettings& settings, const Request& request) {
  if (request.uri_template.empty() || !settings.registry) return nullptr;
  return settings.registry->find(request.method, request.uri_template);
}

void log(const MiddlewareSettings& settings, LogLevel level, const std::string& line) {
  if (settings.logger) settings.logger(level, line);
}

// The APIv2 stack adds these after the check.
std::vector<std::string_view> v2_filled_later(const Options& options) {
  if (options.nonceless) return {"sign"};
  return {"sign", "nonce_str"};
}

// Whether encrypt_fields will read the APIv3 body (so validate keeps its parse for it).
bool will_encrypt_json(const MiddlewareSettings& settings, const Contract& contract,
                       const Options& options) {
  return contract.api == Api::v3 && options.auto_encrypt.value_or(settings.auto_encrypt) &&
         has_encryption(contract.request.json, Encryption::wechatpay_public_key);
}

void check(const MiddlewareSettings& settings, const Request& request) {
  const auto& options = options_of(request);
  auto mode = options.validation.value_or(settings.validation);
  if (mode == ValidationMode::off) return;
  const auto* contract = contract_for(settings, request);
  if (!contract) return;

  RequestParts parts;
  parts.params = &options.params;
  parts.query = &options.query;
  rapidjson::Document body;
  if (contract->api == Api::v3) {
    parts.headers = &request.headers;
    if (json_body(request, body)) parts.json = &body;
  } else {
    parts.filled_later = v2_filled_later(options);
    if (request.method == "GET") {
      parts.query = &options.query;
    } else if (v2_fields(options, body)) {
      parts.xml = &body;
    }
  }
  auto result = validate_request(*contract, parts);
  for (const auto& note : result.notes) {
    log(settings, LogLevel::info, contract->endpoint() + ": " + note.path + " " + note.problem);
  }
  const bool sent = result.ok() || mode == ValidationMode::log_only;
  if (sent && parts.json && will_encrypt_json(settings, *contract, options)) {
    keep_json_body(request, std::move(body));
  }
  if (result.ok()) return;
  if (mode == ValidationMode::log_only) {
    for (const auto& error : result.errors) {
      log(settings, LogLevel::warning,
          contract->endpoint() + ": " + error.path + " " + error.problem + " (sent anyway)");
    }
    return;
  }
  const auto& first = result.errors.front();
  throw ValidationError(contract->endpoint(), first.path, first.problem);
}

// Base64 of an RSA-2048/3072/4096 ciphertext.
bool looks_like_rsa_ciphertext(std::string_view value) {
  if (value.size() != 344 && value.size() != 512 && value.size() != 684) return false;
  const auto size = crypto::base64_decoded_size(value);
  return size == 256u || size == 384u || size == 512u;
}

// Encrypts for one key, looked up on first use so requests without sensitive values need none.
class FieldEncrypter {
 public:
  FieldEncrypter(const MiddlewareSettings& settings, const Contract& contract, std::string serial)
      : settings_(settings), contract_(contract), serial_(std::move(serial)) {}

  // The ciphertext for `plaintext`, or nullopt when it already is ciphertext for the key.
  std::optional<std::string> encrypt(const std::string& path, std::string_view value) {
    if (!key_) {
      if (serial_.empty() && settings_.keys) serial_ = settings_.keys->preferred_serial();
      auto found = settings_.keys ? settings_.keys->find(serial_) : std::nullopt;
      if (!found) {
        // A caller naming a key this client does not hold has encrypted for it by hand.
        if (looks_like_rsa_ciphertext(value)) return std::nullopt;
        throw ConfigError("certs", contract_.endpoint() + ": no WeChat Pay key `" + serial_ +
                                       "` to encrypt " + path + " with");
      }
      key_ = std::move(found);
    }
    if (is_ciphertext_for(*key_, value)) return std::nullopt;
    ++sealed_;
    return crypto::rsa_oaep_encrypt(*key_, value);
  }
  bool used() const { return key_.has_value(); }
  std::size_t sealed() const { return sealed_; }
  const std::string& serial() const { return serial_; }

 private:
  const MiddlewareSettings& settings_;
  const Contract& contract_;
  std::string serial_;
  std::optional<crypto::PublicKey> key_;
  std::size_t sealed_ = 0;
};

// Encrypts the marked top-level entries of `pairs` (a query); whether any changed.
bool encrypt_pairs(const std::vector<Field>& fields, Query& pairs, FieldEncrypter& encrypter,
                   const std::string& prefix) {
  bool changed = false;
  for (const auto& field : fields) {
    if (field.encrypted != Encryption::wechatpay_public_key) continue;
    for (auto& [key, value] : pairs) {
      if (key != field.name) continue;
      if (auto sealed = encrypter.encrypt(prefix + key, value)) {
        value = std::move(*sealed);
        changed = true;
      }
    }
  }
  return changed;
}

Request encrypt(const MiddlewareSettings& settings, Request request) {
  const auto kept = request.options;  // `options` stays valid while the request's are replaced
  const auto& options = options_of(request);
  if (!options.auto_encrypt.value_or(settings.auto_encrypt)) return request;
  const auto* contract = contract_for(settings, request);
  if (!contract) return request;
  const auto& fields = contract->api == Api::v3 ? contract->request.json : contract->request.xml;
  const bool body_marked = has_encryption(fields, Encryption::wechatpay_public_key);
  const bool query_marked =
      has_encryption(contract->request.query, Encryption::wechatpay_public_key);
  if (!body_marked && !query_marked) return request;

  FieldEncrypter encrypter(
      settings, *contract,
      contract->api == Api::v3 ? request.headers.value("Wechatpay-Serial") : "");
  if (query_marked && !options.query.empty()) {
    Query query = options.query;
    if (encrypt_pairs(contract->request.query, query, encrypter, "query.")) {
      replace_query(request, query);
    }
  }
  rapidjson::Document body;
  auto seal = [&](const std::string& path, rapidjson::Value& value) {
    if (!value.IsString()) return;  // validation reports the type
    if (auto sealed = encrypter.encrypt(path, {value.GetString(), value.GetStringLength()})) {
      value.SetString(sealed->data(), static_cast<rapidjson::SizeType>(sealed->size()),
                      body.GetAllocator());
    }
  };
  const auto sealed_before_body = encrypter.sealed();
  if (body_marked && contract->api == Api::v3 && json_body(request, body)) {
    for_each_encrypted(fields, body, Encryption::wechatpay_public_key, seal);
    if (encrypter.sealed() > sealed_before_body) {
      // Each sealed value grows to its base64 ciphertext (344 bytes for RSA-2048).
      request.body = to_json_text(body, request.body.size() + 400 * encrypter.sealed());
    }
  } else if (body_marked && contract->api == Api::v2 && v2_fields(options, body)) {
    for_each_encrypted(fields, body, Encryption::wechatpay_public_key, seal);
    if (encrypter.sealed() > sealed_before_body) replace_xml(request, body);
  }
  if (encrypter.used() && contract->api == Api::v3) {
    request.headers.set("Wechatpay-Serial", encrypter.serial());
  }
  return request;
}

// Replaces each marked answer value with its plaintext; one that does not decrypt stays as
// received (the contract may be wrong) and is logged.
bool open_values(const MiddlewareSettings& settings, const Contract& contract,
                 rapidjson::Document& document) {
  bool changed = false;
  for_each_encrypted(contract.response, document, Encryption::merchant_public_key,
                     [&](const std::string& path, rapidjson::Value& value) {
                       if (!value.IsString() || value.GetStringLength() == 0) return;
                       try {
                         auto plain = crypto::rsa_oaep_decrypt(
                             settings.merchant_key, {value.GetString(), value.GetStringLength()});
                         value.SetString(plain.data(),
                                         static_cast<rapidjson::SizeType>(plain.size()),
                                         document.GetAllocator());
                         changed = true;
                       } catch (const CryptoError&) {
                         log(settings, LogLevel::warning,
                             contract.endpoint() + ": answer field " + path +
                                 " did not decrypt with the merchant key; left as received");
                       }
                     });
  return changed;
}

void decrypt_answer(const MiddlewareSettings& settings, const Contract& contract,
                    Response& response) {
  rapidjson::Document document;
  if (contract.api == Api::v3) {
    try {
      document = parse_bounded_json(response.body, "answer");
    } catch (const Error&) {
      return;  // not JSON: http_errors or the caller's read says so
    }
    if (!document.IsObject()) return;
    if (open_values(settings, contract, document)) response.decrypted_body = to_json_text(document);
    return;
  }
  if (!v2::looks_like_xml(response.body)) return;
  auto fields = v2::parse_xml(response.body);
  document.SetObject();
  for (const auto& [key, value] : fields.fields()) {
    document.AddMember(rapidjson::Value(key.c_str(), document.GetAllocator()),
                       rapidjson::Value(value.c_str(), document.GetAllocator()),
                       document.GetAllocator());
  }
  if (!open_values(settings, contract, document)) return;
  for (const auto& member : document.GetObject()) {
    fields.set(member.name.GetString(), member.value.GetString());
  }
  response.decrypted_body = v2::to_xml(fields);
}

}  // namespace

Middleware validate(std::shared_ptr<const MiddlewareSettings> settings) {
  return map_request([settings = std::move(settings)](Request request) {
    check(*settings, request);
    return request;
  });
}

Middleware encrypt_fields(std::shared_ptr<const MiddlewareSettings> settings) {
  return map_request([settings = std::move(settings)](Request request) {
    return encrypt(*settings, std::move(request));
  });
}

Middleware decrypt_fields(std::shared_ptr<const MiddlewareSettings> settings) {
  return [settings = std::move(settings)](Handler next) -> Handler {
    return [settings, next = std::move(next)](Request request, Completion done) {
      const auto* contract = contract_for(*settings, request);
      if (!contract || !has_encryption(contract->response, Encryption::merchant_public_key)) {
        next(std::move(request), std::move(done));
        return;
      }
      next(std::move(request), [settings, contract, done = std::move(done)](
                                   std::exception_ptr error, Response response) {
        if (!error && response.status >= 200 && response.status < 300) {
          try {
            decrypt_answer(*settings, *contract, response);
          } catch (...) {
            error = std::current_exception();
          }
        }
        done(error, std::move(response));
      });
    };
  };
}

}  // namespace wechatpay::contracts
