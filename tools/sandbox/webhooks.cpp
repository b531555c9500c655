#include "webhooks.hpp"

#include <regex>
#include <stdexcept>

#include <httplib.h>

#include "routes.hpp"
#include "util.hpp"
#include "wechatpay/crypto/aes_gcm.hpp"
#include "wechatpay/crypto/nonce.hpp"
#include "wechatpay/crypto/rsa.hpp"
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

Delivery send_v3_notification(const Sandbox& sandbox, const Order& order, const std::string& url,
                              const std::string& serial_wanted) {
  const Credentials& c = sandbox.credentials;
  std::string serial = serial_wanted.empty() ? c.public_key_id : serial_wanted;
  const crypto::PrivateKey* key = c.private_key_for(serial);
  if (!key) return {0, "", "serial " + serial + " names no sandbox key"};

  std::string nonce = crypto::nonce(12);
  Json resource = {{"original_type", "transaction"},
                   {"algorithm", "AEAD_AES_256_GCM"},
                   {"ciphertext", crypto::aes_256_gcm_encrypt(c.apiv3_key, nonce, "transaction",
                                                              transaction_json(order).dump())},
                   {"associated_data", "transaction"},
                   {"nonce", nonce}};
  std::string body = Json{
      {"id", crypto::nonce(36)},
      {"create_time", rfc3339_beijing(now_seconds())},
      {"resource_type", "encrypt-resource"},
      {"event_type", "TRANSACTION.SUCCESS"},
      {"summary", "支付成功"},
      {"resource",
       resource}}.dump();
  std::string timestamp = std::to_string(now_seconds());
  std::string header_nonce = crypto::nonce(32);
  httplib::Headers headers = {
      {"Wechatpay-Timestamp", timestamp},
      {"Wechatpay-Nonce", header_nonce},
      {"Wechatpay-Serial", serial},
      {"Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048"},
      {"Wechatpay-Signature",
       crypto::rsa_sign_sha256(*key, v3::response_signing_message(timestamp, header_nonce, body))}};
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

}  // namespace wechatpay::sandbox
