#include "wechatpay/client.hpp"

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cctype>

#include "cancellation.hpp"
#include "client_core.hpp"
#include "contracts/install.hpp"
#include "contracts/request_body.hpp"
#include "retry_with_failover.hpp"
#include "uri_template.hpp"
#include "wechatpay/crypto/rsa.hpp"
#include "wechatpay/errors.hpp"
#include "wechatpay/v2/stack.hpp"
#include "wechatpay/v3/verifier.hpp"

namespace wechatpay {

std::string default_user_agent() {
  return std::string("wechatpay-cpp/") + WECHATPAY_VERSION + " curl/" +
         curl_version_info(CURLVERSION_NOW)->version + " OpenSSL/" +
         OpenSSL_version(OPENSSL_VERSION_STRING);
}

namespace detail {

namespace {

void require(const std::string& value, const char* field) {
  if (value.empty()) throw ConfigError(field, "is required");
}

// Loads the merchant key; a CryptoError becomes a ConfigError naming the field.
crypto::PrivateKey load_merchant_key(const ClientConfig& config) {
  require(config.private_key, "private_key");
  try {
    return crypto::PrivateKey::load(config.private_key, config.private_key_passphrase);
  } catch (const CryptoError& e) {
    throw ConfigError("private_key", e.what());
  }
}

// WeChat Pay's keys; rejects the merchant's own serial or key in their place (a common mix-up).
crypto::KeyStore::Snapshot load_trusted_keys(const ClientConfig& config,
                                             const crypto::PrivateKey& merchant_key) {
  if (config.certs.empty() && !config.certificate_refresh.enabled) {
    throw ConfigError("certs",
                      "is required: map WeChat Pay platform certificate serials or "
                      "PUB_KEY_ID_... ids to WeChat Pay's public keys, or turn on "
                      "certificate_refresh");
  }
  auto merchant_public = crypto::PublicKey::of(merchant_key);
  crypto::KeyStore::Snapshot keys;
  for (const auto& [id, spec] : config.certs) {
    std::string field = "certs[" + id + "]";
    if (id.empty()) throw ConfigError("certs", "has an empty serial");
    if (id == config.serial) {
      throw ConfigError(field,
                        "is the merchant certificate serial; certs must hold WeChat Pay's platform "
                        "certificate serials or PUB_KEY_ID_... ids, not the merchant's");
    }
    crypto::TrustedKey trusted;
    try {
      if (crypto::is_certificate(spec)) {
        auto certificate = crypto::Certificate::load(spec);
        trusted = {certificate.key, certificate.not_after};
      } else {
        trusted.key = crypto::PublicKey::load(spec);
      }
    } catch (const CryptoError& e) {
      throw ConfigError(field, e.what());
    }
    if (EVP_PKEY_eq(trusted.key.get(), merchant_public.get()) == 1) {
      throw ConfigError(field,
                        "is the merchant's own public key; certs must hold WeChat Pay's keys");
    }
    keys.emplace(id, std::move(trusted));
  }
  return keys;
}

std::shared_ptr<const v3::SigningIdentity> make_identity(const ClientConfig& config) {
  require(config.mchid, "mchid");
  require(config.serial, "serial");
  return std::make_shared<const v3::SigningIdentity>(
      v3::SigningIdentity{config.mchid, config.serial, load_merchant_key(config)});
}

void check_transport_settings(const ClientConfig& config) {
  auto scheme_end = config.base_uri.find("://");
  if (scheme_end == std::string::npos || (config.base_uri.compare(0, scheme_end, "https") != 0 &&
                                          config.base_uri.compare(0, scheme_end, "http") != 0)) {
    throw ConfigError("base_uri",
                      "must be an absolute http(s) URL, e.g. https://api.mch.weixin.qq.com/");
  }
  if (config.connect_timeout.count() <= 0) throw ConfigError("connect_timeout", "must be positive");
  if (config.timeout.count() <= 0) throw ConfigError("timeout", "must be positive");
  if (config.max_response_bytes == 0) throw ConfigError("max_response_bytes", "must be positive");
  if (config.merchant_cert.empty() != config.merchant_key.empty()) {
    throw ConfigError(config.merchant_cert.empty() ? "merchant_cert" : "merchant_key",
                      "merchant_cert and merchant_key go together");
  }
}

void check_certificate_settings(const ClientConfig& config) {
  // Only the size is reported: the key itself is a secret.
  if (!config.apiv3_key.empty() && config.apiv3_key.size() != 32) {
    throw ConfigError("apiv3_key",
                      "must be 32 bytes, got " + std::to_string(config.apiv3_key.size()));
  }
  if (!config.certificate_refresh.enabled) return;
  if (config.apiv3_key.empty()) {
    throw ConfigError("apiv3_key", "is required to download platform certificates");
  }
  auto interval = config.certificate_refresh.interval;
  if (interval < std::chrono::hours(1) || interval > std::chrono::hours(48)) {
    throw ConfigError("certificate_refresh.interval", "must be between 1 hour and 2 days");
  }
}

TransferSettings make_transfer(const ClientConfig& config) {
  TransferSettings transfer;
  transfer.connect_timeout = config.connect_timeout;
  transfer.timeout = config.timeout;
  transfer.proxy = config.proxy;
  transfer.proxy_from_environment = config.proxy_from_environment;
  transfer.ca_bundle = config.ca_bundle;
  transfer.insecure_skip_verify = config.insecure_skip_tls_verify;
  transfer.max_response_bytes = config.max_response_bytes;
  transfer.user_agent = config.user_agent.empty() ? default_user_agent() : config.user_agent;
  transfer.http2 = config.http2;
  return transfer;
}

std::string with_trailing_slash(std::string base) {
  if (base.empty() || base.back() != '/') base += '/';
  return base;
}

bool is_http_url(const std::string& uri) {
  return uri.starts_with("https://") || uri.starts_with("http://");
}

// The backup base URI (with a trailing '/'), or "" for no failover.
std::string backup_base(const ClientConfig& config) {
  const FailoverConfig& failover = config.failover;
  std::string backup =
      failover.backup_base_uri ? *failover.backup_base_uri : default_backup_of(config.base_uri);
  if (backup.empty()) return backup;
  if (!is_http_url(backup)) {
    throw ConfigError("failover.backup_base_uri", "must be an absolute http(s) URL");
  }
  backup = with_trailing_slash(std::move(backup));
  if (backup == with_trailing_slash(config.base_uri)) {
    throw ConfigError("failover.backup_base_uri", "must differ from base_uri");
  }
  if (failover.failure_threshold < 1) {
    throw ConfigError("failover.failure_threshold", "must be at least 1");
  }
  if (failover.probe_interval.count() < 1) {
    throw ConfigError("failover.probe_interval", "must be positive");
  }
  return backup;
}

// The contract middleware checks (and may encrypt) this body next: it takes the document built
// from the caller's Json instead of parsing the text just written. Not for an endpoint without
// a contract, nor a Json the document cannot be built from (the parse then reports it).
void keep_document(const contracts::MiddlewareSettings& settings, const Options& options,
                   const Request& request) {
  if (options.validation.value_or(settings.validation) == ValidationMode::off) return;
  if (!settings.registry || !settings.registry->find(request.method, request.uri_template)) return;
  rapidjson::Document document;
  try {
    options.json.to_rapidjson(document, document.GetAllocator());
  } catch (const Error&) {
    return;
  }
  contracts::keep_json_body(request, std::move(document));
}

}  // namespace

ClientCore::ClientCore(ClientConfig config_in)
    : keys(std::make_shared<crypto::KeyStore>()),
      identity(make_identity(config_in)),
      config(std::move(config_in)) {
  auto configured = load_trusted_keys(config, identity->key);
  keys->publish(configured);
  check_transport_settings(config);
  check_certificate_settings(config);
  transport_ = config.transport ? config.transport : make_curl_transport();
  transfer_ = make_transfer(config);

  // The transport is held weakly: a request waiting to be retried must not keep it alive, so
  // that dropping the last client handle still fails whatever is pending.
  Handler terminal = [transport = std::weak_ptr(transport_)](Request request, Completion done) {
    if (auto locked = transport.lock()) return locked->send(std::move(request), std::move(done));
    done(std::make_exception_ptr(TransportError("transport shut down")), Response{});
  };
  v3_stack.set_handler(terminal);
  v3_stack.push(v3::http_errors(), "http_errors");
  v3::UnknownSerialHook on_unknown_serial;
  if (config.certificate_refresh.enabled) {
    // Signed, errors mapped, but not verified by the stack: the manager verifies the download
    // itself (a new certificate may sign it). The caller's middleware does not apply.
    auto stack = std::make_shared<HandlerStack>(terminal);
    stack->push(v3::http_errors(), "http_errors");
    stack->push(v3::signer(identity), "signer");
    // The manager is made before the stack so the verifier can ask it for a refresh.
    certificates = std::make_shared<v3::CertificateManager>(
        keys, configured,
        [this, stack](Completion done) {
          send("v3/certificates", "GET", {.stack = stack}, std::move(done));
        },
        v3::CertificateManagerOptions{.apiv3_key = config.apiv3_key,
                                      .interval = config.certificate_refresh.interval,
                                      .logger = config.logger});
    on_unknown_serial = [manager = std::weak_ptr(certificates)](const std::string& serial,
                                                                std::function<void()> resume) {
      if (auto locked = manager.lock()) return locked->refresh_for_unknown_serial(serial, resume);
      resume();
    };
  }
  v3_stack.push(v3::verifier(keys, v3::system_now, on_unknown_serial), "verifier");
  v3_stack.push(v3::signer(identity), "signer");
  v2_stack.set_handler(terminal);
  v2::install(v2_stack, std::make_shared<const v2::Settings>(v2::Settings{
                            config.mchid, config.secret, config.merchant_cert, config.merchant_key,
                            config.merchant_key_passphrase, config.base_uri}));
  contract_settings = contracts::client_settings(config, keys, identity->key);
  contracts::install(v3_stack, v2_stack, contract_settings);
  // Outermost, so that every attempt is validated, signed, verified and logged anew.
  failover = make_failover(terminal);
  auto retry = detail::retry(config.retry, config.logger, failover);
  v3_stack.unshift(retry, "retry");
  v2_stack.unshift(retry, "retry");
  if (certificates) {
    if (transport_->on_io_thread()) {
      throw ConfigError("certificate_refresh",
                        "a client that downloads certificates cannot be made on the I/O thread");
    }
    certificates->start();  // synchronous: a failed first download fails the constructor
  }
}

ClientCore::~ClientCore() {
  if (certificates) certificates->stop();
}

std::shared_ptr<Failover> ClientCore::make_failover(const Handler& terminal) {
  std::string backup = backup_base(config);
  if (backup.empty()) return nullptr;
  std::string primary = with_trailing_slash(config.base_uri);
  // The probe: a signed GET of probe_path on the primary, through no retry, verifier or errors
  // middleware; any answer below 500 says the primary is back.
  HandlerStack stack(terminal);
  stack.push(v3::signer(identity), "signer");
  probe_ = stack.resolve();
  Request probe;
  probe.method = "GET";
  probe.url = primary + config.failover.probe_path;
  probe.headers.set("Accept", "application/json");
  probe.transfer = transfer_;
  auto send_probe = [handler = std::weak_ptr(probe_), probe](std::function<void(bool)> answered) {
    auto locked = handler.lock();
    if (!locked) return answered(false);
    (*locked)(probe, [answered = std::move(answered)](std::exception_ptr error, Response response) {
      answered(!error && response.status > 0 && response.status < 500);
    });
  };
  return std::make_shared<Failover>(std::move(primary), std::move(backup), config.failover,
                                    config.logger, std::move(send_probe));
}

Request ClientCore::build(std::string_view uri_template, std::string method, Options options,
                          bool& is_v2) const {
  // Refused here, before signing: anything libcurl would send otherwise than it is signed.
  std::string path = expand_request_path(uri_template, options.params);
  is_v2 = path.starts_with("v2/");
  if (is_v2) path.erase(0, 3);

  Request request;
  request.method = std::move(method);
  check_method(request.method);
  request.uri_template = std::string(uri_template);
  for (auto& c : request.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  request.url = with_trailing_slash(options.base_uri.value_or(config.base_uri)) + path;
  if (!options.query.empty()) {
    request.url += (request.url.find('?') == std::string::npos ? '?' : '&');
    request.url += encode_query(options.query);
  }
  request.headers = std::move(options.headers);
  if (options.body_stream) {
    if (!request.headers.contains("Content-Type")) {
      request.headers.set("Content-Type", options.body_stream->content_type);
    }
    request.body_stream = std::make_shared<const BodyStream>(std::move(*options.body_stream));
    options.body_stream.reset();
  } else if (options.body) {
    request.body = std::move(options.body->bytes);
    if (!request.headers.contains("Content-Type")) {
      request.headers.set("Content-Type", options.body->content_type);
    }
  } else if (!is_v2 && !options.json.is_absent()) {
    request.body = options.json.dump();
    if (!request.headers.contains("Content-Type")) {
      request.headers.set("Content-Type", "application/json");
    }
    keep_document(*contract_settings, options, request);
  }
  if (!is_v2) {
    if (!request.headers.contains("Accept")) request.headers.set("Accept", "application/json");
    // The key WeChat Pay should answer with and that encrypt() used; the caller's choice wins.
    if (!request.headers.contains("Wechatpay-Serial")) {
      if (auto serial = keys->preferred_serial(); !serial.empty()) {
        request.headers.set("Wechatpay-Serial", std::move(serial));
      }
    }
  }
  request.transfer = transfer_;
  if (options.timeout) request.transfer.timeout = *options.timeout;
  request.transfer.sink = options.sink;
  request.transfer.on_body = options.on_body;
  request.options = std::make_shared<const Options>(std::move(options));
  return request;
}

void ClientCore::send(std::string_view uri_template, std::string method, Options options,
                      Completion done) const {
  std::shared_ptr<const Handler> handler;
  Request request;
  try {
    bool is_v2 = false;
    auto stack = options.stack;
    request = build(uri_template, std::move(method), std::move(options), is_v2);
    handler = stack ? stack->resolve() : (is_v2 ? v2_stack : v3_stack).resolve();
    // Cancelled already: not even signed.
    if (cancel_requested(request)) std::rethrow_exception(cancelled_error(request, false));
  } catch (...) {
    done(std::current_exception(), Response{});
    return;
  }
  (*handler)(std::move(request), std::move(done));
}

}  // namespace detail

Client::Client(ClientConfig config)
    : core_(std::make_shared<detail::ClientCore>(std::move(config))),
      root_(std::make_shared<detail::ChainNode>("", core_)),
      v3(root_->child("v3")),
      v2(root_->child("v2")) {}

Chain Client::chain(std::string_view path) const {
  return Chain(root_).chain(path);
}

HandlerStack& Client::stack() {
  return core_->v3_stack;
}
HandlerStack& Client::v2_stack() {
  return core_->v2_stack;
}

std::string Client::encryption_serial() const {
  return core_->keys->preferred_serial();
}

std::string Client::encrypt(std::string_view plaintext) const {
  auto serial = encryption_serial();
  auto key = core_->keys->find(serial);
  if (!key) throw ConfigError("certs", "no WeChat Pay key to encrypt with");
  return crypto::rsa_oaep_encrypt(*key, plaintext);
}

const crypto::KeyStore& Client::key_store() const {
  return *core_->keys;
}
const contracts::ContractRegistry& Client::contracts() const {
  return *core_->contract_settings->registry;
}
const std::string& Client::mchid() const {
  return core_->config.mchid;
}

std::size_t Client::max_response_bytes() const {
  return core_->config.max_response_bytes;
}

std::shared_ptr<v3::CertificateManager> Client::certificate_manager() const {
  return core_->certificates;
}

FailoverState Client::failover_state() const {
  return core_->failover ? core_->failover->state() : FailoverState::off;
}

void Client::stop() {
  if (core_->certificates) core_->certificates->stop();
}

}  // namespace wechatpay
