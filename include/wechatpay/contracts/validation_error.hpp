// A request that breaks its endpoint's contract, found before anything was sent.
#pragma once

#include <string>

#include "wechatpay/errors.hpp"
#include "wechatpay/export.hpp"

namespace wechatpay {

class WECHATPAY_EXPORT ValidationError : public Error {
 public:
  // The message names the endpoint and the field, never the field's value (it may be secret).
  ValidationError(std::string endpoint, std::string path, const std::string& problem)
      : Error(endpoint + ": " + path + " " + problem),
        endpoint_(std::move(endpoint)),
        path_(std::move(path)) {}
  // The field: "payer.openid", "detail.goods_detail[1].quantity", "query.mchid",
  // "params.out_trade_no", "headers.Idempotency-Key".
  const std::string& path() const noexcept { return path_; }
  // "POST v3/pay/transactions/jsapi".
  const std::string& endpoint() const noexcept { return endpoint_; }

 private:
  std::string endpoint_, path_;
};

}  // namespace wechatpay
