#include "wechatpay/v3/pay_sign.hpp"

#include <ctime>
#include <initializer_list>

#include "client_core.hpp"
#include "wechatpay/crypto/nonce.hpp"
#include "wechatpay/crypto/rsa.hpp"

namespace wechatpay::v3 {

namespace {

// Each line ends with "\n", the last one included.
std::string sign_lines(const crypto::PrivateKey& key,
                       std::initializer_list<std::string_view> lines) {
  std::string message;
  for (auto line : lines) message.append(line).append("\n");
  return crypto::rsa_sign_sha256(key, message);
}

std::string timestamp_text(std::int64_t timestamp) {
  return std::to_string(timestamp != 0 ? timestamp : static_cast<std::int64_t>(std::time(nullptr)));
}

std::string nonce_or_fresh(std::string nonce) {
  return nonce.empty() ? crypto::nonce() : std::move(nonce);
}

}  // namespace

Json JsapiPayParams::json() const {
  return {{"appId", app_id},    {"timeStamp", time_stamp}, {"nonceStr", nonce_str},
          {"package", package}, {"signType", sign_type},   {"paySign", pay_sign}};
}

Json AppPayParams::json() const {
  return {{"appid", appid},     {"partnerid", partnerid}, {"prepayid", prepayid},
          {"package", package}, {"noncestr", noncestr},   {"timestamp", timestamp},
          {"sign", sign}};
}

JsapiPayParams jsapi_pay_params(const crypto::PrivateKey& merchant_key, std::string_view app_id,
                                std::string_view prepay_id, std::int64_t timestamp,
                                std::string nonce) {
  JsapiPayParams params{std::string(app_id),
                        timestamp_text(timestamp),
                        nonce_or_fresh(std::move(nonce)),
                        "prepay_id=" + std::string(prepay_id),
                        "RSA",
                        ""};
  params.pay_sign = sign_lines(
      merchant_key, {params.app_id, params.time_stamp, params.nonce_str, params.package});
  return params;
}

AppPayParams app_pay_params(const crypto::PrivateKey& merchant_key, std::string_view app_id,
                            std::string_view mchid, std::string_view prepay_id,
                            std::int64_t timestamp, std::string nonce) {
  AppPayParams params{std::string(app_id),
                      std::string(mchid),
                      std::string(prepay_id),
                      "Sign=WXPay",
                      nonce_or_fresh(std::move(nonce)),
                      timestamp_text(timestamp),
                      ""};
  params.sign =
      sign_lines(merchant_key, {params.appid, params.timestamp, params.noncestr, params.prepayid});
  return params;
}

}  // namespace wechatpay::v3

namespace wechatpay {

// Defined here, next to what they wrap, to keep client.cpp about requests.
v3::JsapiPayParams Client::jsapi_pay_params(std::string_view app_id,
                                            std::string_view prepay_id) const {
  return v3::jsapi_pay_params(core_->identity->key, app_id, prepay_id);
}

v3::JsapiPayParams Client::jsapi_pay_params(std::string_view app_id, const Response& prepay) const {
  return jsapi_pay_params(app_id, prepay.json()["prepay_id"].as<std::string>());
}

v3::AppPayParams Client::app_pay_params(std::string_view app_id, std::string_view prepay_id) const {
  return v3::app_pay_params(core_->identity->key, app_id, core_->identity->mchid, prepay_id);
}

v3::AppPayParams Client::app_pay_params(std::string_view app_id, const Response& prepay) const {
  return app_pay_params(app_id, prepay.json()["prepay_id"].as<std::string>());
}

}  // namespace wechatpay
