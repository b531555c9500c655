#include "webhooks.hpp"

#include <regex>
#include <stdexcept>

#include <httplib.h>

#include "contract_rules.hpp"
#include "pki/pki.hpp"
#include "routes.hpp"
#include "util.hpp"
#include "wechatpay/contracts/registry.hpp"
#include "wechatpay/crypto/aes_gcm.hpp"
#include "wechatpay/crypto/nonce.hpp"
#include "wechatpay/crypto/rsa.hpp"
#include "wechatpay/v2/notification.hpp"
#include "wechatpay/v2/signature.hpp"
#include "wechatpay/v2/xml.hpp"
#include "wechatpay/v3/verifier.hpp"

namespace wechatpay::sandbox {
namespace {

Delivery post(const std::string& url, const std::string& body, const std::string& content_type,
              const httplib::Headers& headers) {
  static const std::regex kUrl(R"(^(https?://[^/?#]+)(/[^#]*)?$)");
  std::smatch m;
  if (!std::regex_match(url, m, kUrl)) return {0, "", "not an http(s) URL: " + url};
  httplib::Client client(m[1].str());
  // Local receivers usually run on self-signed certificates.
  client.enable_server_certificate_verification(false);
  client.set_connection_timeout(5);
  client.set_read_timeout(10);
  std::string path = m[2].matched && m[2].length() > 0 ? m[2].str() : "/";
  auto result = client.Post(path, headers, body, content_type);
  if (!result) return {0, "", "cannot reach " + url + ": " + httplib::to_string(result.error())};
  return {result->status, result->body, ""};
}

}  // namespace

Delivery send_v3_notification(const Sandbox& sandbox, const V3Notification& notification,
                              const std::string& url) {
  const Credentials& c = sandbox.credentials;
  // Unlike an answer, a notification without a serial keeps to the public key.
  SigningKey signer = sandbox.platform.signer_for(
      notification.serial.empty() ? c.public_key_id : notification.serial);
  if (notification.wrong_key) {
    signer.key = crypto::PrivateKey::load(pki::cached_rsa_key("stranger").private_pem);
  }
  // Any other 32-byte key: the receiver's AEAD tag check must fail.
  const std::string apiv3_key = notification.wrong_apiv3_key ? crypto::nonce(32) : c.apiv3_key;
  const std::string& type = notification.original_type;
  std::string nonce = crypto::nonce(12);
  Json resource = {{"original_type", type},
                   {"algorithm", "AEAD_AES_256_GCM"},
                   {"ciphertext", crypto::aes_256_gcm_encrypt(apiv3_key, nonce, type,
                                                              notification.resource.dump())},
                   {"associated_data", type},
                   {"nonce", nonce}};
  const bool refund = notification.event_type.starts_with("REFUND.");
  Json envelope = {{"id", crypto::nonce(36)},
                   {"create_time", rfc3339_beijing(now_seconds())},
                   {"resource_type", "encrypt-resource"},
                   {"event_type", notification.event_type},
                   {"summary", refund ? "退款成功" : "支付成功"},
                   {"resource", resource}};
  std::string body = envelope.dump();
  std::string timestamp = std::to_string(now_seconds() - notification.skew_seconds);
  std::string header_nonce = crypto::nonce(32);
  std::string signature = crypto::rsa_sign_sha256(
      signer.key, v3::response_signing_message(timestamp, header_nonce, body));
  if (notification.tamper) {
    envelope.set("summary", "支付成功 (changed after signing)");
    body = envelope.dump();
  }
  httplib::Headers headers = {{"Wechatpay-Timestamp", timestamp},
                              {"Wechatpay-Nonce", header_nonce},
                              {"Wechatpay-Serial", signer.serial},
                              {"Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048"},
                              {"Wechatpay-Signature", signature}};
  return post(url, body, "application/json", headers);
}

Delivery send_v2_notification(const Sandbox& sandbox, const Order& order, const std::string& url) {
  const Credentials& c = sandbox.credentials;
  v2::XmlFields fields = {{"return_code", "SUCCESS"},
                          {"return_msg", "OK"},
                          {"appid", order.appid},
                          {"mch_id", c.mchid},
                          {"nonce_str", crypto::nonce(32)},
                          {"result_code", "SUCCESS"},
                          {"openid", order.openid},
                          {"is_subscribe", "N"},
                          {"trade_type", order.trade_type},
                          {"bank_type", "OTHERS"},
                          {"total_fee", std::to_string(order.total)},
                          {"fee_type", order.currency},
                          {"cash_fee", std::to_string(order.total)},
                          {"transaction_id", order.transaction_id},
                          {"out_trade_no", order.out_trade_no},
                          {"attach", order.attach},
                          {"time_end", compact_beijing(order.success_time)}};
  fields.add("sign", v2::sign(fields, c.secret, v2::SignType::kMd5));
  return post(url, v2::to_xml(fields, true), "text/xml; charset=utf-8", {});
}

bool send_v2_event(const Sandbox& sandbox, const Order& order, const std::string& event,
                   const std::string& url, Delivery& delivery) {
  static const auto registry = contracts::ContractRegistry::builtin();
  const contracts::EventContract* contract = registry->find_event(contracts::Api::v2, event);
  if (!contract) return false;
  const Credentials& c = sandbox.credentials;
  Json echo = transaction_json(order);
  echo.set("mch_id", c.mchid);
  v2::XmlFields fields =
      v2::to_fields(contract_shaped(c, contract->body, echo, event + "\n" + order.out_trade_no));
  bool signed_event = false;
  for (const contracts::Field& field : contract->body) {
    const std::string& name = field.name;
    if (name == "return_code" || name == "result_code") fields.set(name, "SUCCESS");
    if (name == "event_type") fields.set(name, event);
    if (name == "sign_type") fields.set(name, "HMAC-SHA256");
    if (name == "sign") signed_event = true;
    if (field.type != contracts::FieldType::string || field.fields.empty()) continue;
    // A text field with fields inside is sealed: payscore's event_ciphertext with the APIv3 key
    // (AES-256-GCM, event_nonce), a refund's req_info with the APIv2 key (AES-256-ECB).
    Json inner =
        contract_shaped(c, field.fields, echo, event + "\n" + name + "\n" + order.out_trade_no);
    if (field.encrypted == contracts::Encryption::apiv3_key_aes_gcm) {
      const std::string nonce = crypto::nonce(12);
      fields.set("event_nonce", nonce);
      fields.set(name, crypto::aes_256_gcm_encrypt(c.apiv3_key, nonce, "", inner.dump()));
    } else {
      fields.set(name, v2::encrypt_req_info(v2::to_fields(inner), c.secret));
    }
  }
  fields.erase("sign");
  if (signed_event) {
    const v2::SignType type =
        fields.contains("sign_type") ? v2::SignType::kHmacSha256 : v2::SignType::kMd5;
    fields.add("sign", v2::sign(fields, c.secret, type));
  }
  delivery = post(url, v2::to_xml(fields, true), "text/xml; charset=utf-8", {});
  return true;
}

}  // namespace wechatpay::sandbox
