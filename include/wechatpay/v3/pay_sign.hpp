// The parameters a front end needs to start a payment, signed with the merchant's key
// (SHA256withRSA, base64):
//  - JSAPI (WeixinJSBridge) and mini-program (wx.requestPayment): appId, timeStamp, nonceStr,
//    package ("prepay_id=…"), signType ("RSA"), paySign over
//    "appId\ntimeStamp\nnonceStr\npackage\n";
//  - APP (OpenSDK PayReq): appid, partnerid, prepayid, package ("Sign=WXPay"), noncestr,
//    timestamp, sign over "appid\ntimestamp\nnoncestr\nprepayid\n".
//   auto params = v3::jsapi_pay_params(key, "wx8888888888888888", prepay_id);
//   send_to_browser(params.json().dump());
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "wechatpay/crypto/keys.hpp"
#include "wechatpay/export.hpp"
#include "wechatpay/json.hpp"

namespace wechatpay::v3 {

struct WECHATPAY_EXPORT JsapiPayParams {
  std::string app_id, time_stamp, nonce_str, package, sign_type, pay_sign;
  // {"appId":…,"timeStamp":…,"nonceStr":…,"package":…,"signType":"RSA","paySign":…}
  Json json() const;
};

struct WECHATPAY_EXPORT AppPayParams {
  std::string appid, partnerid, prepayid, package, noncestr, timestamp, sign;
  // {"appid":…,"partnerid":…,"prepayid":…,"package":"Sign=WXPay","noncestr":…,
  //  "timestamp":…,"sign":…}
  Json json() const;
};

// `timestamp` 0 = now; `nonce` empty = a fresh 32-character one.
WECHATPAY_EXPORT JsapiPayParams jsapi_pay_params(const crypto::PrivateKey& merchant_key,
                                                 std::string_view app_id,
                                                 std::string_view prepay_id,
                                                 std::int64_t timestamp = 0,
                                                 std::string nonce = {});
// `mchid` is the partnerid.
WECHATPAY_EXPORT AppPayParams app_pay_params(const crypto::PrivateKey& merchant_key,
                                             std::string_view app_id, std::string_view mchid,
                                             std::string_view prepay_id, std::int64_t timestamp = 0,
                                             std::string nonce = {});

}  // namespace wechatpay::v3
