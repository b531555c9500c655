// The client: configuration, the APIv3 and APIv2 handler stacks, and the transport.
//   wechatpay::Client client({.mchid = "1900000001", .serial = "...", .private_key =
//   "file:///k.pem",
//                             .certs = {{"PUB_KEY_ID_0114...", "file:///wechatpay_pub.pem"}}});
//   auto res = client->v3["payrollCard"]["tokens"]->post({.json = {{"openid", "o..."}}});
// A Client is a handle: copies share one configuration, stack and transport.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wechatpay/chain.hpp"
#include "wechatpay/contracts/validation_mode.hpp"
#include "wechatpay/crypto/key_store.hpp"
#include "wechatpay/export.hpp"
#include "wechatpay/failover.hpp"
#include "wechatpay/handler_stack.hpp"
#include "wechatpay/log.hpp"
#include "wechatpay/retry_policy.hpp"
#include "wechatpay/transport.hpp"

namespace wechatpay {

namespace contracts {
class ContractRegistry;
}  // namespace contracts

namespace v3 {
class CertificateManager;
struct Notification;
struct JsapiPayParams;
struct AppPayParams;
}  // namespace v3

// Downloading WeChat Pay's platform certificates (GET /v3/certificates) and keeping them fresh.
// Needs `apiv3_key`. See v3/certificates.hpp for the trust model.
struct CertificateRefresh {
  bool enabled = false;
  // How often to download again; 1 h to 2 days (ConfigError otherwise).
  std::chrono::seconds interval = std::chrono::hours(12);
};

struct ClientConfig {
  std::string mchid{};
  std::string serial{};       // merchant API certificate serial
  std::string private_key{};  // merchant private key: a key spec (see crypto/keys.hpp)
  std::string private_key_passphrase{};
  // WeChat Pay's verification keys: platform certificate serial or PUB_KEY_ID_... -> key spec
  // (public key or certificate).
  std::map<std::string, std::string> certs{};
  std::string secret{};     // APIv2 key (optional)
  std::string apiv3_key{};  // APIv3 key, 32 bytes: notifications and certificate downloads
  // Platform certificates downloaded at start and refreshed; with it `certs` may be empty.
  CertificateRefresh certificate_refresh{};
  Logger logger{};  // optional; see log.hpp
  // Merchant TLS client certificate for APIv2 `security` requests (optional): spec or PEM.
  std::string merchant_cert{};
  std::string merchant_key{};
  std::string merchant_key_passphrase{};
  std::string base_uri = "https://api.mch.weixin.qq.com/";
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds timeout{30'000};
  std::string proxy{};
  // With `proxy` empty, libcurl uses the environment's proxy variables (http_proxy, https_proxy,
  // ALL_PROXY, NO_PROXY, ...); false connects directly whatever the environment says.
  bool proxy_from_environment = true;
  std::string ca_bundle{};  // PEM file of trusted CAs; empty = the system's
  // Turns off TLS peer verification. For local experiments only; never in production.
  bool insecure_skip_tls_verify = false;
  std::size_t max_response_bytes = 64u << 20;
  std::string user_agent{};  // empty = "wechatpay-cpp/<v> curl/<v> OpenSSL/<v>"
  // A transport to share with other clients; empty = a new one for this client.
  std::shared_ptr<Transport> transport{};
  // Retries (retry.hpp): by default a failure before any byte was sent, up to 3 attempts.
  RetryPolicy retry{};
  // The backup domain and its circuit breaker (failover.hpp).
  FailoverConfig failover{};
  // Offer HTTP/2 over TLS. Off by default: measured slower for synchronous calls (see
  // docs/performance.md); on, 32 requests in flight share one connection.
  bool http2 = false;
  // Endpoint contracts (docs/contracts.md): extra rows in contracts.jsonl / events.jsonl form
  // that add or amend the built-in ones, and what the client does with them by default.
  std::vector<std::string> contracts{};
  ValidationMode validation = ValidationMode::enforce;
  bool auto_encrypt = true;  // encrypt fields the contract marks sensitive
};

// "wechatpay-cpp/0.1.0 curl/7.88.1 OpenSSL/3.0.x"
WECHATPAY_EXPORT std::string default_user_agent();

class WECHATPAY_EXPORT Client {
 public:
  // Validates the configuration and loads the keys; ConfigError names the bad field.
  explicit Client(ClientConfig config);

  Client* operator->() { return this; }
  const Client* operator->() const { return this; }

  // Declarative and property styles: the path is taken literally.
  Chain chain(std::string_view path) const;
  Chain operator[](std::string_view path) const { return chain(path); }

  // The APIv3 stack: retry > http_errors > decrypt_fields > verifier > validate > encrypt_fields
  // > signer > [yours] > (handler: the transport).
  HandlerStack& stack();
  // The APIv2 stack: retry > decrypt_fields > transform_response > http_errors > validate >
  // encrypt_fields > transform_request > [yours].
  HandlerStack& v2_stack();
  // The failover circuit: off without a backup host, else closed, open or half_open.
  FailoverState failover_state() const;

  // RSA-OAEP encrypts a sensitive field for the key this client names in Wechatpay-Serial.
  std::string encrypt(std::string_view plaintext) const;
  // The serial requests carry in Wechatpay-Serial (a PUB_KEY_ID_ key first).
  std::string encryption_serial() const;
  const crypto::KeyStore& key_store() const;
  // The contracts this client checks requests against: the built-in ones plus `contracts`.
  const contracts::ContractRegistry& contracts() const;
  const std::string& mchid() const;
  // ClientConfig::max_response_bytes; it bounds a bill after decompression too.
  std::size_t max_response_bytes() const;

  // The platform certificate manager, or null when certificate_refresh is off.
  std::shared_ptr<v3::CertificateManager> certificate_manager() const;
  // Stops background work (the certificate refresh timer) and joins it. Idempotent; the
  // destructor of the last handle does the same.
  void stop();

  // Verifies and decrypts an APIv3 notification with this client's keys and APIv3 key; an
  // unknown Wechatpay-Serial triggers one certificate refresh first. See v3/notification.hpp.
  v3::Notification parse_notification(const Headers& headers, std::string_view body) const;

  // Front-end payment parameters signed with this client's merchant key (v3/pay_sign.hpp), from
  // a prepay_id or straight from the order's answer (JsonReadError if it has no prepay_id).
  v3::JsapiPayParams jsapi_pay_params(std::string_view app_id, std::string_view prepay_id) const;
  v3::JsapiPayParams jsapi_pay_params(std::string_view app_id, const Response& prepay) const;
  v3::AppPayParams app_pay_params(std::string_view app_id, std::string_view prepay_id) const;
  v3::AppPayParams app_pay_params(std::string_view app_id, const Response& prepay) const;

 private:
  std::shared_ptr<detail::ClientCore> core_;
  std::shared_ptr<detail::ChainNode> root_;

 public:
  // Pure-chain roots: client->v3["payrollCard"]["tokens"], client->v2["pay"]["micropay"].
  Chain v3;
  Chain v2;
};

}  // namespace wechatpay
