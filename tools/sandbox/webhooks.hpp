// Notifications the sandbox sends on request (POST /sandbox/webhooks): a signed APIv3
// TRANSACTION.SUCCESS with its AES-256-GCM resource, or a signed APIv2 payment notification.
#pragma once

#include <string>

#include "sandbox.hpp"

namespace wechatpay::sandbox {

struct Delivery {
  int status = 0;     // the receiver's HTTP status; 0 when it could not be reached
  std::string body;   // the receiver's answer
  std::string error;  // why it could not be reached
};

// `url`: http(s)://host[:port]/path. `serial` picks the signing key (platform certificate serial
// or PUB_KEY_ID_...); empty = the public key.
Delivery send_v3_notification(const Sandbox& sandbox, const Order& order, const std::string& url,
                              const std::string& serial);
Delivery send_v2_notification(const Sandbox& sandbox, const Order& order, const std::string& url);

}  // namespace wechatpay::sandbox
