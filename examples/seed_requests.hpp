// The seed endpoints' request bodies, as WeChat Pay documents them; shared by the examples and
// the sandbox integration tests. Sensitive fields are plaintext: the client encrypts what the
// endpoint's contract marks sensitive, for the key it names in Wechatpay-Serial.
#pragma once

#include <string>

#include "wechatpay/wechatpay.hpp"

namespace example {

// POST v3/payroll-card/tokens
inline wechatpay::Json payroll_card_token() {
  return {{"openid", "onqOjjmo8wmTOOtSKwXtGjg9Gb58"},
          {"appid", "wxa1111111"},
          {"sub_mchid", "1111111"},
          {"sub_appid", "wxb1111111"},
          {"user_name", "张三"},
          {"id_card_number", "110101199003077777"},
          {"employment_type", "LONG_TERM_EMPLOYMENT"}};
}

// POST v3/payroll-card/authentications/pre-order-with-auth
inline wechatpay::Json pre_order_with_auth() {
  return {{"openid", "onqOjjmo8wmTOOtSKwXtGjg9Gb58"},
          {"appid", "wxa1111111"},
          {"sub_mchid", "1111111"},
          {"sub_appid", "wxa1111111"},
          {"authenticate_number", "mcdhehfgisdhfjghed39384564i83"},
          {"project_name", "某项目"},
          {"employer_name", "某用工企业"},
          {"user_name", "张三"},
          {"id_card_number", "110101199003077777"},
          {"employment_type", "LONG_TERM_EMPLOYMENT"},
          {"authenticate_type", "SIGN_IN"}};
}

// POST v3/offlinefacemch/tokens
inline wechatpay::Json offlineface_token() {
  return {{"scene", "WEBSESSION"},
          {"web_init_data", {{"out_user_id", "user-0001"}, {"organization_id", "org-0001"}}}};
}

// POST v2/tools/authcodetoopenid; payment codes are 18 digits starting 10..15.
inline wechatpay::Json authcode_to_openid(const std::string& mchid,
                                          const std::string& auth_code = "134567890123456789") {
  return {{"appid", "wxd930ea5d5a258f4f"}, {"mch_id", mchid}, {"auth_code", auth_code}};
}

}  // namespace example
