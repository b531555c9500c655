// APIv3 request signing: the `Authorization` header over the exact bytes sent.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "wechatpay/crypto/keys.hpp"
#include "wechatpay/export.hpp"
#include "wechatpay/handler_stack.hpp"

namespace wechatpay::v3 {

struct SigningIdentity {
  std::string mchid;
  std::string serial;  // the merchant certificate's serial
  crypto::PrivateKey key;
};

// "METHOD\nTARGET\nTIMESTAMP\nNONCE\nBODY\n" — what the signature covers.
WECHATPAY_EXPORT std::string signing_message(std::string_view method, std::string_view target,
                                             std::string_view timestamp, std::string_view nonce,
                                             std::string_view body);

// The full header value: WECHATPAY2-SHA256-RSA2048 mchid="…",serial_no="…",timestamp="…",
// nonce_str="…",signature="…" (this order, no spaces).
WECHATPAY_EXPORT std::string authorization(const SigningIdentity& identity, std::string_view method,
                                           std::string_view target, std::string_view body,
                                           std::string_view timestamp, std::string_view nonce);

// Middleware "signer": sets Authorization for the request as it will be sent (over
// Options::signed_body instead of the body when the request sets it).
WECHATPAY_EXPORT Middleware signer(std::shared_ptr<const SigningIdentity> identity);

}  // namespace wechatpay::v3
