// Notifications the sandbox sends on request (POST /sandbox/webhooks): a signed APIv3
// TRANSACTION.SUCCESS or REFUND.SUCCESS with its AES-256-GCM resource, or a signed APIv2 payment
// notification. Options spoil a v3 notification in one chosen way, for receivers' tests.
#pragma once

#include <cstdint>
#include <string>

#include "sandbox.hpp"

namespace wechatpay::sandbox {

struct Delivery {
  int status = 0;     // the receiver's HTTP status; 0 when it could not be reached
  std::string body;   // the receiver's answer
  std::string error;  // why it could not be reached
};

struct V3Notification {
  std::string event_type = "TRANSACTION.SUCCESS";  // or REFUND.SUCCESS
  std::string original_type = "transaction";       // or refund (also the associated data)
  Json resource{};                                 // the plaintext, sealed with the APIv3 key
  // Picks the signing key like an answer's Wechatpay-Serial (PlatformKeyring::signer_for):
  // a platform serial = the newest platform certificate; empty or PUB_KEY_ID_ = the public key.
  std::string serial{};
  bool tamper = false;            // the body is changed after signing
  std::int64_t skew_seconds = 0;  // the signed timestamp is this far in the past
  bool wrong_key = false;         // signed with a key WeChat Pay does not own
  bool wrong_apiv3_key = false;   // the resource is sealed with another key
};

// `url`: http(s)://host[:port]/path.
Delivery send_v3_notification(const Sandbox& sandbox, const V3Notification& notification,
                              const std::string& url);
Delivery send_v2_notification(const Sandbox& sandbox, const Order& order, const std::string& url);
// Any documented APIv2 event: fields shaped by its event contract (the order's values of the
// same name), the merchant's mch_id; signed where the contract has a sign (HMAC-SHA256 when it
// names a sign_type, else MD5); a field sealed with AES-256-ECB (a refund's req_info) built as
// WeChat Pay builds it. false when `event` is no documented APIv2 event.
bool send_v2_event(const Sandbox& sandbox, const Order& order, const std::string& event,
                   const std::string& url, Delivery& delivery);

}  // namespace wechatpay::sandbox
