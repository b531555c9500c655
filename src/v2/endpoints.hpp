// Which APIv2 endpoint a request is for, and the endpoints that need special handling.
#pragma once

#include <string>
#include <string_view>

#include "wechatpay/http.hpp"

namespace wechatpay::v2 {

// The request URL's path after `base_uri` (the request's `base_uri` option when set, else
// `client_base_uri`), with a leading '/': "https://api.mch.weixin.qq.com/hk/pay/downloadbill"
// with base "https://api.mch.weixin.qq.com/hk/" -> "/pay/downloadbill". A URL outside the base
// yields its whole path.
std::string endpoint_path(const Request& request, std::string_view client_base_uri);

// Endpoints whose answers carry no `sign` (the PHP SDK's list, plus the real mmpaysptrans
// paths of pay_bank/query_bank and appauth/getaccesstoken).
bool is_signless_endpoint(std::string_view path);

// Endpoints that answer JSON instead of XML (appauth/getaccesstoken, documented), unsigned.
bool is_json_endpoint(std::string_view path);

// Endpoints that answer a file (CSV, gzip or text) on success and XML only on failure.
bool is_download_endpoint(std::string_view path);

}  // namespace wechatpay::v2
